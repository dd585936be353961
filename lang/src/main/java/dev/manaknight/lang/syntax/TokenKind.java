package dev.manaknight.lang.syntax;

import java.util.HashMap;
import java.util.Map;

/** The kinds of token the {@link Lexer} produces; keywords carry their spelling. */
public enum TokenKind {
    // Names and literals
    IDENT(null, "a name"),
    INT(null, "an integer"),
    DECIMAL(null, "a decimal"),
    FLOAT(null, "a float"),
    STRING(null, "a string"),

    // Keywords. Words that only matter in one place (`db`, `uses`, `request`, `status`, `json`,
    // `text`, `headers`, `param`, `query`, `header`, `body`, `some`, `none`, `ok`, `err`) stay
    // IDENTs so that they remain usable as ordinary names elsewhere.
    TYPE("type", null),
    ENUM("enum", null),
    CONST("const", null),
    FN("fn", null),
    API("api", null),
    TEST("test", null),
    LET("let", null),
    VAR("var", null),
    IF("if", null),
    ELSE("else", null),
    FOR("for", null),
    IN("in", null),
    WHILE("while", null),
    BREAK("break", null),
    CONTINUE("continue", null),
    MATCH("match", null),
    RETURN("return", null),
    RESPOND("respond", null),
    EXPECT("expect", null),
    WITH("with", null),
    TRUE("true", null),
    FALSE("false", null),

    // Punctuation and operators
    LPAREN("(", null),
    RPAREN(")", null),
    LBRACKET("[", null),
    RBRACKET("]", null),
    LBRACE("{", null),
    RBRACE("}", null),
    COMMA(",", null),
    COLON(":", null),
    SEMICOLON(";", null),
    DOT(".", null),
    DOT_DOT("..", null),
    QUESTION("?", null),
    ARROW("->", null),
    UNDERSCORE("_", null),
    EQ("=", null),
    EQ_EQ("==", null),
    BANG_EQ("!=", null),
    LT("<", null),
    LE("<=", null),
    GT(">", null),
    GE(">=", null),
    PLUS("+", null),
    MINUS("-", null),
    STAR("*", null),
    SLASH("/", null),
    PERCENT("%", null),
    BANG("!", null),
    AND_AND("&&", null),
    OR_OR("||", null),

    /** Something the lexer already reported; the parser stays silent about it. */
    ERROR(null, "an invalid token"),
    EOF(null, "end of file");

    private static final Map<String, TokenKind> KEYWORDS = keywords();

    /** The fixed spelling (keywords, punctuation), else null. */
    public final String spelling;
    private final String description;

    TokenKind(String spelling, String description) {
        this.spelling = spelling;
        this.description = description;
    }

    /** How a message names this kind: "`let`", "a string". */
    public String describe() {
        return spelling != null ? "`" + spelling + "`" : description;
    }

    public boolean isKeyword() {
        return spelling != null && Character.isLetter(spelling.charAt(0));
    }

    /** The keyword spelled `word`, or IDENT. */
    public static TokenKind word(String word) {
        return KEYWORDS.getOrDefault(word, IDENT);
    }

    private static Map<String, TokenKind> keywords() {
        var map = new HashMap<String, TokenKind>();
        for (TokenKind k : values()) if (k.isKeyword()) map.put(k.spelling, k);
        return Map.copyOf(map);
    }
}
