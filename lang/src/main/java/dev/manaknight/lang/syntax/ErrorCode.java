package dev.manaknight.lang.syntax;

/** The E01xx codes of lexer and parser diagnostics, one per kind of mistake. */
final class ErrorCode {
    private ErrorCode() {}

    static final String UNEXPECTED_CHAR = "E0101";      // a character no token starts with
    static final String UNTERMINATED_STRING = "E0102";  // `"abc` without its closing quote on the line
    static final String BAD_ESCAPE = "E0103";           // `\\q`, a surrogate code point
    static final String INT_TOO_LARGE = "E0104";        // does not fit in 64 signed bits
    static final String BAD_NUMBER = "E0105";           // `1e`, `12abc`, `1_`
    static final String EXPECTED = "E0110";             // expected X, found Y
    static final String UNCLOSED = "E0111";             // `{`, `(` or `[` never closed
    static final String STATEMENT_END = "E0112";        // two statements on one line
    static final String COMPARISON_CHAIN = "E0113";     // `a < b < c`
    static final String BAD_METHOD = "E0114";           // `api FETCH /x`
    static final String BAD_PATH = "E0115";             // `api GET /a//b?x`
    static final String SQL_INTERPOLATION = "E0116";    // `"SELECT … ${x}"`
    static final String INTERPOLATION_NOT_ALLOWED = "E0117"; // test names, header names
    static final String BAD_ASSIGN_TARGET = "E0118";    // `u.name = x`
    static final String MISPLACED = "E0119";            // `uses`, inputs, `..`, lambdas where they cannot be
    static final String TOO_DEEP = "E0120";             // nesting beyond Cursor.MAX_NESTING
    static final String BAD_CALL = "E0121";             // `(f)(x)`: only names are called
}
