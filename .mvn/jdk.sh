# Chooses the JDK that Shoal builds and runs with: sourced (POSIX sh) by ./mvnw, ./shoal and .ci/run.
#
# Shoal needs Java 21 or newer, and many machines have an older default `java` with a newer JDK installed beside
# it. So that the README's commands work as typed there, JAVA_HOME is kept when it names a JDK 21+, then the
# `java` on the PATH when it is 21+, and otherwise the newest JDK 21+ found where JDKs are usually installed.
# When there is none, the script says what it found and how to fix it, and exits.

# The major version of the JDK at home $1 (e.g. 25), or nothing when it has no working java.
# A JDK's `release` file says its version, which spares starting a JVM (a third of a second, more on a busy
# machine) for each JDK looked at, on every `./shoal` command.
shoal_jdk_major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    _shoal_release="$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' "$1/release" | head -n 1)"
    if [ -n "$_shoal_release" ]; then
      echo "$_shoal_release" | while read -r first second; do
        if [ "$first" = 1 ]; then echo "$second"; else echo "$first"; fi
      done
      return 0
    fi
  fi
  "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' | head -n 1 |
    while read -r first second; do
      if [ "$first" = 1 ]; then echo "$second"; else echo "$first"; fi
    done
}

# Sets and exports JAVA_HOME to a JDK 21+ (and SHOAL_JDK_MAJOR to its version); prints why and exits when there is
# none.
shoal_select_jdk() {
  _shoal_min=21
  if [ -n "${JAVA_HOME-}" ]; then
    _shoal_major="$(shoal_jdk_major "$JAVA_HOME")"
    if [ -n "$_shoal_major" ] && [ "$_shoal_major" -ge "$_shoal_min" ]; then
      SHOAL_JDK_MAJOR="$_shoal_major"
      export JAVA_HOME SHOAL_JDK_MAJOR
      return 0
    fi
    _shoal_seen="JAVA_HOME=$JAVA_HOME (Java ${_shoal_major:-none})"
  else
    _shoal_seen=""
  fi
  _shoal_path_java="$(command -v java 2>/dev/null || true)"
  if [ -n "$_shoal_path_java" ]; then
    _shoal_home="$(dirname "$(dirname "$(readlink -f "$_shoal_path_java" 2>/dev/null || echo "$_shoal_path_java")")")"
    _shoal_major="$(shoal_jdk_major "$_shoal_home")"
    if [ -n "$_shoal_major" ] && [ "$_shoal_major" -ge "$_shoal_min" ]; then
      JAVA_HOME="$_shoal_home"
      SHOAL_JDK_MAJOR="$_shoal_major"
      export JAVA_HOME SHOAL_JDK_MAJOR
      return 0
    fi
    _shoal_seen="${_shoal_seen:+$_shoal_seen, }java on the PATH ($_shoal_path_java, Java ${_shoal_major:-unknown})"
  fi
  # Globs are needed here and ./mvnw runs with them off. ./shoal replays a launch while none of these directories
  # has changed (its jdk_dirs): keep the two lists alike.
  case "$-" in *f*) _shoal_noglob=1; set +f ;; *) _shoal_noglob=0 ;; esac
  _shoal_best=""
  _shoal_best_major=0
  for _shoal_home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "${HOME-}"/.sdkman/candidates/java/* \
    "${HOME-}"/.jdks/* "${HOME-}"/.asdf/installs/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$_shoal_home" ] || continue
    _shoal_major="$(shoal_jdk_major "$_shoal_home")"
    if [ -n "$_shoal_major" ] && [ "$_shoal_major" -ge "$_shoal_min" ] && [ "$_shoal_major" -gt "$_shoal_best_major" ]; then
      _shoal_best="$_shoal_home"
      _shoal_best_major="$_shoal_major"
    fi
  done
  [ "$_shoal_noglob" = 0 ] || set -f
  if [ -n "$_shoal_best" ]; then
    JAVA_HOME="$_shoal_best"
    SHOAL_JDK_MAJOR="$_shoal_best_major"
    export JAVA_HOME SHOAL_JDK_MAJOR
    return 0
  fi
  {
    echo "Shoal needs a JDK $_shoal_min or newer, and none was found${_shoal_seen:+ (seen: $_shoal_seen)}."
    echo "Install one (for example: sudo apt install openjdk-21-jdk, or sdk install java 21-tem) and run this again,"
    echo "or set JAVA_HOME to a JDK $_shoal_min+ that is installed somewhere unusual."
  } >&2
  exit 1
}
