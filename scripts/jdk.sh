# Sourced by verinfer's scripts: exports JAVA_HOME pointing at a JDK >= 25.
# Order: $JAVA_HOME if it is >= 25, then the newest JDK >= 25 under /usr/lib/jvm.
verinfer_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1; }
verinfer_find_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(verinfer_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null; then return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(verinfer_java_major "$candidate")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null; then export JAVA_HOME=$candidate; return 0; fi
  done
  echo "verinfer needs a JDK 25 or newer and found none (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm)." >&2
  echo "Install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium) or 'apt-get install openjdk-25-jdk', or set JAVA_HOME." >&2
  return 1
}
verinfer_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
