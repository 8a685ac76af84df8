# scripts/test's console: reads Maven's output, prints one line per module (its unit and
# integration test counts), every [ERROR] line (failures), and the totals. Everything else,
# including what tests log on purpose, stays in the full log.
function flush() {
  if (module != "" && (unit != "" || it != "")) {
    printf "  %-14s unit %s, integration %s\n", module, (unit == "" ? "-" : unit), (it == "" ? "-" : it)
    fflush()
  }
}
function counts(line,   r, f, e, s, out) {
  match(line, /Tests run: [0-9]+/);  r = substr(line, RSTART + 11, RLENGTH - 11)
  match(line, /Failures: [0-9]+/);   f = substr(line, RSTART + 10, RLENGTH - 10)
  match(line, /Errors: [0-9]+/);     e = substr(line, RSTART + 8, RLENGTH - 8)
  match(line, /Skipped: [0-9]+/);    s = substr(line, RSTART + 9, RLENGTH - 9)
  total += r; failed += f + e; skipped += s
  out = r " tests"
  if (f + e > 0) out = out " (" f + e " FAILED)"
  if (s > 0) out = out " (" s " skipped)"
  return out
}
/^\[INFO\] Building .* \[[0-9]+\/[0-9]+\]$/ {
  flush(); module = $(NF - 2); unit = ""; it = ""; next
}
/--- surefire:.*:test / { phase = "unit"; next }
/--- failsafe:.*:integration-test / { phase = "it"; next }
/Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$/ {
  if (phase == "unit") unit = counts($0); else if (phase == "it") it = counts($0)
  phase = ""; next
}
/^\[ERROR\]/ && !/^\[ERROR\] *$/ && !/To see the full stack trace|Re-run Maven|For more information|Help 1\]/ {
  print; fflush(); next
}
/BUILD SUCCESS|BUILD FAILURE/ { flush(); module = ""; result = $2 " " $3 }
/Total time:/ { took = $4 " " $5 }
END {
  flush()
  printf "%d tests, %d failed, %d skipped; %s in %s\n", total, failed, skipped, result, took
}
