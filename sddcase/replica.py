"""The read replica's state for the project wiring (the readiness check): re-exported from
`ui.reporting`, where the reporting views of the lower layers read it too."""

from ui.reporting import data_freshness, replica_configured, replica_lag_seconds

__all__ = ["data_freshness", "replica_configured", "replica_lag_seconds"]
