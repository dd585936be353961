package dev.manaknight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ReasonPhraseTest {
    @Test void registeredCodesHaveRfc9110Phrases() {
        assertEquals("OK", ReasonPhrase.of(200));
        assertEquals("Content Too Large", ReasonPhrase.of(413));
        assertEquals("URI Too Long", ReasonPhrase.of(414));
        assertEquals("Range Not Satisfiable", ReasonPhrase.of(416));
        assertEquals("Unprocessable Content", ReasonPhrase.of(422));
        assertEquals("Too Many Requests", ReasonPhrase.of(429));
        assertEquals("Service Unavailable", ReasonPhrase.of(503));
    }

    @Test void otherCodesGetTheirClassName() {
        assertNull(ReasonPhrase.registered(299));
        assertEquals("Success", ReasonPhrase.of(299));
        assertEquals("Client Error", ReasonPhrase.of(418));
        assertEquals("Client Error", ReasonPhrase.of(499));
        assertEquals("Server Error", ReasonPhrase.of(599));
        assertEquals("Unknown Status", ReasonPhrase.of(600));
    }
}
