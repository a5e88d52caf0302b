"""Identity resolution helpers: normalisers and the fuzzy name + postal-address matcher."""
