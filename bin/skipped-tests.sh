#!/usr/bin/env bash
# Prints each skipped test in the surefire reports given (TEST-*.xml) with its reason, one line
# each: "skipped: Class.method: reason". Surefire's console summary counts skipped tests without
# saying why; ./test runs this after Maven so a skipped PostgreSQL or nginx test is never silent.
set -euo pipefail

for report in "$@"; do
  awk '
    function attr(line, key,    m) {
      if (!match(line, key "=\"[^\"]*\"")) return ""
      m = substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 3)
      gsub(/&quot;/, "\"", m); gsub(/&apos;/, "\047", m); gsub(/&lt;/, "<", m); gsub(/&gt;/, ">", m); gsub(/&amp;/, "\\&", m)
      return m
    }
    /<testcase / { test = attr($0, "classname") "." attr($0, "name") }
    /<skipped/ {
      reason = attr($0, "message")
      if (reason == "" && match($0, /CDATA\[.*/)) {
        reason = substr($0, RSTART + 6)
        sub(/^[A-Za-z0-9_.$]*(Exception|Error): /, "", reason)
        sub(/^Assumption failed: /, "", reason)
        sub(/\]\]>.*$/, "", reason)
      }
      print "skipped: " test ": " (reason == "" ? "(no reason given)" : reason)
    }
  ' "$report"
done
