"""Tag KPIs computed in the warehouse: one module per KPI family, statistics, history."""
