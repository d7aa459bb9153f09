# Sourced by scripts/test.sh: the real SMTP server the tests start (aiosmtpd). Finds an interpreter
# that has it, else installs Debian's python3-aiosmtpd (or, failing that, the PyPI package into a
# venv under target/), and exports GREENLANE_TEST_PYTHON.
has_aiosmtpd() { "$1" -c 'import aiosmtpd' >/dev/null 2>&1; }
find_aiosmtpd() {
    local py
    for py in "${GREENLANE_TEST_PYTHON:-}" /usr/bin/python3 python3 target/smtp-venv/bin/python; do
        [[ -n $py ]] && command -v "$py" >/dev/null 2>&1 && has_aiosmtpd "$py" && { echo "$py"; return 0; }
    done
    return 1
}
if ! GREENLANE_TEST_PYTHON=$(find_aiosmtpd); then
    sudo_=(); [[ $(id -u) -eq 0 ]] || sudo_=(sudo)
    if command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive "${sudo_[@]}" apt-get install -y -qq --no-install-recommends python3-aiosmtpd >/dev/null 2>&1 ||
            { "${sudo_[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo_[@]}" apt-get install -y -qq --no-install-recommends python3-aiosmtpd; } || true
    fi
    if ! GREENLANE_TEST_PYTHON=$(find_aiosmtpd); then
        python3 -m venv target/smtp-venv && target/smtp-venv/bin/pip install -q aiosmtpd
        GREENLANE_TEST_PYTHON=$(find_aiosmtpd) || { echo "aiosmtpd could not be installed" >&2; exit 1; }
    fi
fi
export GREENLANE_TEST_PYTHON
