"""Reads of the reports app."""
