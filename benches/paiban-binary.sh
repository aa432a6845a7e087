# Sourced by the bench scripts (after `cd` to the repository): sets `paiban` to the binary
# to measure. By default the build users run (Cargo.toml's `dist` profile), built here;
# PAIBAN_PROFILE=release for the tests' build, or PAIBAN_BIN=path for a binary built
# before (to compare).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/paiban-target}"
profile="${PAIBAN_PROFILE:-dist}"
if [ -n "${PAIBAN_BIN:-}" ]; then
  paiban="$PAIBAN_BIN"
else
  cargo build --profile "$profile" --quiet --bin paiban
  paiban="$CARGO_TARGET_DIR/$profile/paiban"
fi
