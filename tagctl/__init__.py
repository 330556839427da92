"""tagctl: tag governance for customer-data teams."""

__version__ = "0.1.0"
