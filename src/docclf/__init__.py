"""docclf: document-image classification with experiment tracking."""

__version__ = "0.1.0"
