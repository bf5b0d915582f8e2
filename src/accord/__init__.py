"""accord: model, forecast and stress-test negotiated settlements."""

__version__ = "0.1.0"
