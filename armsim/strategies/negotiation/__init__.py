"""The built-in negotiation strategies, one module each (collected by the registry)."""
