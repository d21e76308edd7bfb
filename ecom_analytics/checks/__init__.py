"""Asset checks: Pandera schemas on stored partitions, reconciliation and quarantine rate."""
