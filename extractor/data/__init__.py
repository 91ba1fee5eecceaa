"""Data shipped with the package: the code catalogue, the confidence calibration."""
