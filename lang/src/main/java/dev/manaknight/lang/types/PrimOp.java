package dev.manaknight.lang.types;

import dev.manaknight.lang.model.Type;
import dev.manaknight.lang.bytecode.Opcode;

/**
 * A typed operator chosen by the checker, so the VM never inspects a value's type: each maps to
 * one opcode, or (for Decimal/String comparisons) a compare followed by a test against zero.
 */
public enum PrimOp {
    ADD_INT(Opcode.ADD_INT), SUB_INT(Opcode.SUB_INT), MUL_INT(Opcode.MUL_INT), DIV_INT(Opcode.DIV_INT),
    MOD_INT(Opcode.MOD_INT), NEG_INT(Opcode.NEG_INT),
    ADD_FLT(Opcode.ADD_FLT), SUB_FLT(Opcode.SUB_FLT), MUL_FLT(Opcode.MUL_FLT), DIV_FLT(Opcode.DIV_FLT),
    MOD_FLT(Opcode.MOD_FLT), NEG_FLT(Opcode.NEG_FLT),
    ADD_DEC(Opcode.ADD_DEC), SUB_DEC(Opcode.SUB_DEC), MUL_DEC(Opcode.MUL_DEC), DIV_DEC(Opcode.DIV_DEC),
    MOD_DEC(Opcode.MOD_DEC), NEG_DEC(Opcode.NEG_DEC),
    CONCAT_STR(Opcode.CONCAT), CONCAT_LIST(Opcode.LIST_CONCAT),
    EQ_INT(Opcode.EQ_INT), NE_INT(Opcode.NE_INT), LT_INT(Opcode.LT_INT), LE_INT(Opcode.LE_INT),
    GT_INT(Opcode.GT_INT), GE_INT(Opcode.GE_INT),
    EQ_FLT(Opcode.EQ_FLT), NE_FLT(Opcode.NE_FLT), LT_FLT(Opcode.LT_FLT), LE_FLT(Opcode.LE_FLT),
    GT_FLT(Opcode.GT_FLT), GE_FLT(Opcode.GE_FLT),
    EQ_REF(Opcode.EQ_R), NE_REF(Opcode.NE_R),
    LT_DEC(Opcode.CMP_DEC, Opcode.LT0), LE_DEC(Opcode.CMP_DEC, Opcode.LE0),
    GT_DEC(Opcode.CMP_DEC, Opcode.GT0), GE_DEC(Opcode.CMP_DEC, Opcode.GE0),
    LT_STR(Opcode.CMP_STR, Opcode.LT0), LE_STR(Opcode.CMP_STR, Opcode.LE0),
    GT_STR(Opcode.CMP_STR, Opcode.GT0), GE_STR(Opcode.CMP_STR, Opcode.GE0),
    NOT(Opcode.NOT);

    /** The opcode, then (for compares) the zero test; null when there is none. */
    public final Opcode first, second;

    PrimOp(Opcode first) { this(first, null); }

    PrimOp(Opcode first, Opcode second) {
        this.first = first;
        this.second = second;
    }

    /** The typed operator for `op` on operands of type `operand` (resolved); null when none exists. */
    public static PrimOp binary(dev.manaknight.lang.syntax.ast.Expr.BinaryOp op, Type operand) {
        boolean isInt = operand == Type.INT, isFlt = operand == Type.FLOAT, isDec = operand == Type.DECIMAL;
        boolean isStr = operand == Type.STRING, isBool = operand == Type.BOOL;
        return switch (op) {
            case ADD -> isInt ? ADD_INT : isFlt ? ADD_FLT : isDec ? ADD_DEC : isStr ? CONCAT_STR
                    : operand instanceof Type.ListOf ? CONCAT_LIST : null;
            case SUB -> isInt ? SUB_INT : isFlt ? SUB_FLT : isDec ? SUB_DEC : null;
            case MUL -> isInt ? MUL_INT : isFlt ? MUL_FLT : isDec ? MUL_DEC : null;
            case DIV -> isInt ? DIV_INT : isFlt ? DIV_FLT : isDec ? DIV_DEC : null;
            case MOD -> isInt ? MOD_INT : isFlt ? MOD_FLT : isDec ? MOD_DEC : null;
            case EQ -> isInt || isBool ? EQ_INT : isFlt ? EQ_FLT : EQ_REF;
            case NE -> isInt || isBool ? NE_INT : isFlt ? NE_FLT : NE_REF;
            case LT -> isInt ? LT_INT : isFlt ? LT_FLT : isDec ? LT_DEC : isStr ? LT_STR : null;
            case LE -> isInt ? LE_INT : isFlt ? LE_FLT : isDec ? LE_DEC : isStr ? LE_STR : null;
            case GT -> isInt ? GT_INT : isFlt ? GT_FLT : isDec ? GT_DEC : isStr ? GT_STR : null;
            case GE -> isInt ? GE_INT : isFlt ? GE_FLT : isDec ? GE_DEC : isStr ? GE_STR : null;
            case AND, OR -> null;
        };
    }
}
