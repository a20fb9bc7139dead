"""Amorce: the platform of "amorçage de projets" programmes (CitésLab model)."""
