package dev.manaknight.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LingerBudgetTest {
    @Test void lendsUpToItsMaxThenRefusesUntilOneIsGivenBack() {
        var budget = new LingerBudget(2);
        assertTrue(budget.take());
        assertTrue(budget.take());
        assertFalse(budget.take(), "a third past max = 2");
        assertEquals(2, budget.lingering(), "a refused take leaves nothing taken");
        budget.give();
        assertTrue(budget.take());
        assertFalse(budget.take());
    }
}
