# shellcheck shell=bash
# Finds the JDK that builds and runs Hanul; sourced by bin/hanul and .ci/run so both pick the same one.
# hanul_find_java sets HANUL_JAVA_HOME, or prints what it looked at and returns 1. It tries, in order:
# $JAVA_HOME, /usr/lib/jvm/temurin-25*, the newest other JDK under /usr/lib/jvm, then `java` on PATH.

# The minimum is the release pom.xml compiles for: an older JDK can neither build nor run the jar.
hanul_required_java() {
    local pom
    pom="$(dirname "${BASH_SOURCE[0]}")/../../pom.xml"
    sed -n 's:.*<java.version>\([0-9]*\)</java.version>.*:\1:p' "$pom" | head -n 1
}

# Prints "<feature version> <java.home>" for a java executable that belongs to a JDK (javac next to it).
hanul_describe_java() {
    local java=$1 settings version home
    [[ -x $java ]] || return 1
    settings=$("$java" -XshowSettings:properties -version 2>&1) || return 1
    version=$(sed -n 's/^ *java\.specification\.version = //p' <<<"$settings")
    home=$(sed -n 's/^ *java\.home = //p' <<<"$settings")
    [[ $version =~ ^[0-9]+$ && -x $home/bin/javac ]] || return 1
    echo "$version $home"
}

hanul_find_java() {
    local required candidate version home best_version=0 best_home=""
    local -a looked=()
    required=$(hanul_required_java)
    required=${required:-25}

    if [[ -n ${JAVA_HOME:-} ]]; then
        if read -r version home < <(hanul_describe_java "$JAVA_HOME/bin/java") && ((version >= required)); then
            HANUL_JAVA_HOME=$home
            return 0
        fi
        looked+=("JAVA_HOME=$JAVA_HOME (${version:-not a JDK})")
    fi

    for candidate in /usr/lib/jvm/temurin-"$required"* /usr/lib/jvm/*; do
        version="" home=""
        read -r version home < <(hanul_describe_java "$candidate/bin/java") || continue
        if [[ $candidate == /usr/lib/jvm/temurin-"$required"* ]] && ((version >= required)); then
            HANUL_JAVA_HOME=$home
            return 0
        fi
        if ((version > best_version)); then
            best_version=$version best_home=$home
        fi
    done
    if ((best_version >= required)); then
        HANUL_JAVA_HOME=$best_home
        return 0
    fi
    ((best_version > 0)) && looked+=("/usr/lib/jvm (newest: $best_version)")

    if command -v java >/dev/null; then
        version="" home=""
        if read -r version home < <(hanul_describe_java "$(command -v java)") && ((version >= required)); then
            HANUL_JAVA_HOME=$home
            return 0
        fi
        looked+=("java on PATH (${version:-not a JDK})")
    fi

    echo "hanul: needs a JDK $required or newer; found none." >&2
    ((${#looked[@]} > 0)) && printf '  looked at: %s\n' "${looked[@]}" >&2
    echo "  Install one (e.g. Temurin $required from https://adoptium.net) and set JAVA_HOME to it." >&2
    return 1
}
