"""Validation: parse landed records, check them with Pandera, quarantine what fails."""
