"""Tag KPIs computed in the warehouse: query builders, statistics, history."""
