"""brief: a week of scraped Chinese meeting reports -> a clean regional briefing."""

__version__ = "0.1.0"
