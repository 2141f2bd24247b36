from hypothesis import HealthCheck, settings

# --- Hypothesis: the engine's property tests (test_properties.py) -----------------------
# Deterministic: the same examples on every run and machine (derandomize), nothing saved
# between runs (no example database), no deadline (a loaded CI machine is slow, and
# timings are the benchmarks' business). Registered, not loaded, so the schemathesis run
# keeps its own settings; the property tests decorate themselves with it.
settings.register_profile(
    "claimtrack-engine",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=80,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
