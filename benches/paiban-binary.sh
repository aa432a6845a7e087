# Sourced by the bench scripts (after `cd` to the repository): sets `paiban` to the binary
# to measure. By default the binary paiban ships: the `dist` profile with profile-guided
# optimisation (scripts/build-pgo.sh; its first run takes about 20 minutes). PAIBAN_PROFILE=
# dist (no PGO, as `cargo install --profile dist` builds it) or release (the tests' build),
# or PAIBAN_BIN=path for a binary built before (to compare).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/paiban-target}"
profile="${PAIBAN_PROFILE:-pgo}"
if [ -n "${PAIBAN_BIN:-}" ]; then
  paiban="$PAIBAN_BIN"
elif [ "$profile" = pgo ]; then
  paiban=$(scripts/build-pgo.sh | tail -n 1)
else
  cargo build --profile "$profile" --quiet --bin paiban
  paiban="$CARGO_TARGET_DIR/$profile/paiban"
fi
