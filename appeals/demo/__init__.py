"""The demo world: demo accounts and the seed of demo cases (never in production)."""
