# Sourced by ./trapline and .ci/run: points JAVA_HOME (and PATH) at a JDK 21 or newer.
# Tried in order: $JAVA_HOME, the `java` on the PATH, then the newest JDK under /usr/lib/jvm or
# /Library/Java/JavaVirtualMachines. The machine's default java may be older (17 on Debian 12).

trapline_jdk_major() {
  # prints the feature version of the JDK at $1 (21, 25, ...), nothing if it is not a JDK
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

trapline_find_jdk() {
  local candidates=() candidate major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ /Library/Java/JavaVirtualMachines/*/Contents/Home/ 2>/dev/null | sort -rV); do
    candidates+=("${candidate%/}")
  done
  for candidate in "${candidates[@]}"; do
    major=$(trapline_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! TRAPLINE_JDK=$(trapline_find_jdk); then
  echo "Trapline needs a JDK 21 or newer and found none (looked at JAVA_HOME, the java on the PATH and /usr/lib/jvm)." >&2
  echo "Install one (for example Eclipse Temurin 21 or 25) and set JAVA_HOME to it." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$TRAPLINE_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Options for Trapline's own JVMs: the native libraries (FFmpeg, ONNX Runtime, LZ4) and Kafka's use of
# sun.misc.Unsafe are intended, so newer JDKs need not warn about them at every start
TRAPLINE_JDK_MAJOR=$(trapline_jdk_major "$JAVA_HOME")
# Lucene's vector search uses the JDK's Vector API (SIMD dot products) when its module is readable
TRAPLINE_JAVA_OPTS="--add-modules jdk.incubator.vector"
[ "$TRAPLINE_JDK_MAJOR" -ge 22 ] && TRAPLINE_JAVA_OPTS="$TRAPLINE_JAVA_OPTS --enable-native-access=ALL-UNNAMED"
[ "$TRAPLINE_JDK_MAJOR" -ge 24 ] && TRAPLINE_JAVA_OPTS="$TRAPLINE_JAVA_OPTS --sun-misc-unsafe-memory-access=allow"
export TRAPLINE_JAVA_OPTS
# Maven's own libraries call sun.misc.Unsafe, which JDK 24+ warns about at every start
if [ "$TRAPLINE_JDK_MAJOR" -ge 24 ]; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
fi
