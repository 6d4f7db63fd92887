"""The flows the engine can run."""
