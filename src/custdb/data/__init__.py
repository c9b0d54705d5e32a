"""Data files shipped with custdb."""
