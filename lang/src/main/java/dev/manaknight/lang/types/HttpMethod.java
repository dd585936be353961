package dev.manaknight.lang.types;

/** The methods a handler may be declared for; HEAD is served from GET by the runtime. */
public enum HttpMethod { GET, POST, PUT, PATCH, DELETE }
