"""Test doubles that run for real on this machine (no mocks of what they stand for)."""
