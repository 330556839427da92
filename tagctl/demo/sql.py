"""The DuckDB statements that write the demo warehouse, set-based.

Every random-looking number is `demo_hash(salt, user_id, stream)` scaled to
[0, 1): the same inputs give the same rows on every run. Per-tag and
per-campaign choices come from small temporary spec tables (`demo_*`);
values enter as parameters, never as SQL text. The only names built into
SQL at run time are the wide layout's tag columns, quoted (wide.py).
"""

from __future__ import annotations

# Temporary macros: they live in the connection, not in the file.
MACROS = (
    # hash(a, b, c) ends by xor-ing hash(c) in, so streams would correlate; mix them in first.
    "CREATE TEMP MACRO demo_hash(salt, id, stream) AS hash(xor(hash(salt, id), stream))",
    "CREATE TEMP MACRO demo_draw(salt, id, stream) AS"
    " demo_hash(salt, id, stream) / 18446744073709551616.0",
    "CREATE TEMP MACRO demo_pick(salt, id, stream, skew, n) AS"
    " 1 + CAST(floor(pow(demo_draw(salt, id, stream), skew) * n) AS BIGINT)",
    "CREATE TEMP MACRO demo_scaled(salt, id, low, high, skew) AS"
    " low + pow(demo_draw(salt, id, 1), skew) * (high - low)",
    # Rows k < copy_rows hold copy_value (0 and '' but for a planted enum tag, overlaps.py).
    """CREATE TEMP MACRO demo_value(
        kind, salt, id, k, holders, choices, low, high, skew, bad_rate, bad_value, as_of,
        copy_rows, copy_value
    ) AS CASE
        WHEN k >= holders THEN CASE WHEN kind = 'boolean' THEN 'false' ELSE '' END
        WHEN k < copy_rows THEN copy_value
        WHEN bad_rate > 0 AND (k = copy_rows OR demo_draw(salt, id, 2) < bad_rate) THEN bad_value
        WHEN kind = 'boolean' THEN 'true'
        WHEN kind = 'choice' THEN choices[demo_pick(salt, id, 1, skew, len(choices))]
        WHEN kind = 'integer' THEN CAST(
            CAST(floor(demo_scaled(salt, id, low, high + 1, skew)) AS BIGINT) AS VARCHAR)
        WHEN kind = 'number' THEN CAST(
            CAST(demo_scaled(salt, id, low, high, skew) AS DECIMAL(18, 2)) AS VARCHAR)
        ELSE strftime(
            CAST(as_of AS DATE) - CAST(floor(demo_scaled(salt, id, low, high, skew)) AS INTEGER),
            '%Y-%m-%d')
    END""",
    "CREATE TEMP MACRO demo_updated(salt, id, newest, spread) AS"
    " newest - to_seconds(CAST(demo_hash(salt, id, 3) % spread AS BIGINT))",
)

TABLES = (
    "CREATE TABLE users (user_id BIGINT NOT NULL, is_active BOOLEAN NOT NULL)",
    "CREATE TABLE tag_usage (tag_name VARCHAR, used_at TIMESTAMP, consumer_type VARCHAR,"
    " consumer_id VARCHAR, department VARCHAR)",
    "CREATE TABLE campaign_tags (campaign_id VARCHAR, tag_name VARCHAR)",
    "CREATE TABLE campaign_members (campaign_id VARCHAR, user_id BIGINT, group_name VARCHAR,"
    " selected_at TIMESTAMP)",
    "CREATE TABLE touches (campaign_id VARCHAR, user_id BIGINT, touched_at TIMESTAMP,"
    " status VARCHAR, responded_at TIMESTAMP)",
    "CREATE TABLE conversions (user_id BIGINT, converted_at TIMESTAMP, amount DOUBLE)",
    "CREATE TABLE campaign_costs (campaign_id VARCHAR, cost DOUBLE)",
)
LONG_TABLE = (
    "CREATE TABLE tag_values (user_id BIGINT, tag_name VARCHAR, tag_value VARCHAR,"
    " updated_at TIMESTAMP)"
)

SPEC_TAGS = """CREATE TEMP TABLE demo_tags (
    tag_name VARCHAR, batch INTEGER, kind VARCHAR, salt BIGINT, holders BIGINT, extra BIGINT,
    stride BIGINT, shift BIGINT, choices VARCHAR[], low DOUBLE, high DOUBLE, skew DOUBLE,
    bad_rate DOUBLE, bad_value VARCHAR, newest TIMESTAMP, spread BIGINT, boost DOUBLE,
    copy_rows BIGINT, copy_value VARCHAR, amount_skew DOUBLE)"""
SPEC_USAGE = """CREATE TEMP TABLE demo_usage (
    tag_name VARCHAR, salt BIGINT, uses BIGINT, zombie BOOLEAN,
    types VARCHAR[], prefixes VARCHAR[], departments VARCHAR[])"""
SPEC_CAMPAIGNS = """CREATE TEMP TABLE demo_campaigns (
    campaign_id VARCHAR, tags VARCHAR[], salt BIGINT, size BIGINT, start_at TIMESTAMP,
    rate DOUBLE, lift DOUBLE, fast BOOLEAN, response_rate DOUBLE, source_holders BIGINT,
    source_stride BIGINT, source_shift BIGINT, mix_stride BIGINT, mix_shift BIGINT,
    costs DOUBLE[])"""

USERS = """INSERT INTO users
SELECT range, demo_draw($seed, range, 0) < $active FROM range(1, $users + 1)"""

# Row k of a tag is the user (k * stride + shift) mod users + 1: a permutation.
LONG_VALUES = """INSERT INTO tag_values
SELECT user_id, tag_name,
    demo_value(kind, salt, user_id, k, holders, choices, low, high, skew, bad_rate, bad_value,
               $as_of, copy_rows, copy_value),
    demo_updated(salt, user_id, newest, spread)
FROM (
    SELECT *, (k * stride + shift) % $users + 1 AS user_id
    FROM (SELECT *, unnest(range(holders + extra)) AS k FROM demo_tags WHERE batch = $batch)
)"""

# The first use of a tag in use lies in the last 29 days; a zombie's uses lie
# 31 to 120 days back; other uses anywhere in the last 120 days.
USAGE = """INSERT INTO tag_usage
SELECT tag_name,
    $as_of - to_seconds(CAST(CASE
        WHEN zombie THEN 31 * 86400 + h % (89 * 86400)
        WHEN k = 0 THEN 60 + h % (29 * 86400)
        ELSE 60 + h % (120 * 86400 - 60)
    END AS BIGINT)),
    types[demo_pick(salt, k, 5, 2.0, len(types))] AS consumer_type,
    prefixes[demo_pick(salt, k, 5, 2.0, len(types))]
        || lpad(CAST(1 + demo_hash(salt, k, 6) % 40 AS VARCHAR), 4, '0'),
    departments[demo_pick(salt, k, 7, 2.0, len(departments))]
FROM (
    SELECT *, demo_hash(salt, k, 4) AS h
    FROM (SELECT *, unnest(range(uses)) AS k FROM demo_usage)
)"""

CAMPAIGN_TAGS = "INSERT INTO campaign_tags SELECT campaign_id, unnest(tags) FROM demo_campaigns"
CAMPAIGN_COSTS = "INSERT INTO campaign_costs SELECT campaign_id, unnest(costs) FROM demo_campaigns"

# Member j of a campaign is holder ((j * mix_stride + mix_shift) mod holders) of its source tag.
MEMBERS = """INSERT INTO campaign_members
SELECT campaign_id, user_id,
    CASE WHEN demo_draw(salt, user_id, 1) < $control THEN 'control' ELSE 'treatment' END,
    start_at + to_seconds(CAST(demo_hash(salt, user_id, 2) % 21600 AS BIGINT))
FROM (
    SELECT *,
        ((j * mix_stride + mix_shift) % source_holders * source_stride + source_shift) % $users
        + 1 AS user_id
    FROM (SELECT *, unnest(range(size)) AS j FROM demo_campaigns)
)"""

TOUCHES = """INSERT INTO touches
SELECT campaign_id, user_id, touched_at, status,
    CASE WHEN responded_at < $as_of THEN responded_at END
FROM (
    SELECT *,
        CASE WHEN status = 'delivered' AND demo_draw(salt, user_id, 4) < response_rate
            THEN touched_at
                + to_seconds(CAST(300 + demo_hash(salt, user_id, 5) % 172800 AS BIGINT))
        END AS responded_at
    FROM (
        SELECT m.campaign_id, m.user_id, c.salt, c.response_rate,
            m.selected_at
                + to_seconds(CAST(600 + demo_hash(c.salt, m.user_id, 3) % 43200 AS BIGINT))
                AS touched_at,
            CASE WHEN demo_draw(c.salt, m.user_id, 6) < $delivered THEN 'delivered'
                ELSE 'failed' END AS status
        FROM campaign_members AS m JOIN demo_campaigns AS c USING (campaign_id)
        WHERE m.group_name = 'treatment'
    )
)
WHERE touched_at < $as_of"""

# Per user holding a planted tag: how much more they convert (boost), how their amounts skew.
BOOSTS = """CREATE TEMP TABLE demo_boost AS
SELECT (k * stride + shift) % $users + 1 AS user_id, max(boost) AS boost,
    min(amount_skew) AS amount_skew
FROM (
    SELECT *, unnest(range(holders)) AS k FROM demo_tags
    WHERE boost > 1 OR amount_skew < $skew
)
GROUP BY ALL"""

# Conversions within 7 days of selection; treatment of a lifted campaign converts more. Both
# groups of a fast campaign convert more, its treatment sooner (u^fast_skew of the 7 days);
# the holders of a basket tag spend more (their amount_skew in demo_boost).
ATTRIBUTED = """INSERT INTO conversions
SELECT user_id, converted_at,
    round(50 + 2950 * pow(draw, coalesce(b.amount_skew, $skew)), 2)
FROM (
    SELECT m.user_id,
        m.selected_at + to_seconds(CAST(CASE
            WHEN c.fast AND m.group_name = 'treatment'
                THEN floor(604800 * pow(demo_draw(c.salt, m.user_id, 8), $fast_skew))
            ELSE demo_hash(c.salt, m.user_id, 8) % 604800
        END AS BIGINT)) AS converted_at,
        demo_draw(c.salt, m.user_id, 9) AS draw
    FROM campaign_members AS m JOIN demo_campaigns AS c USING (campaign_id)
    WHERE demo_draw(c.salt, m.user_id, 7)
        < c.rate * CASE WHEN m.group_name = 'treatment' THEN c.lift ELSE 1 END
) LEFT JOIN demo_boost AS b USING (user_id)
WHERE converted_at < $as_of"""

# Up to two conversions per user over the last 90 days; audience-quality holders convert more,
# basket holders buy more.
BACKGROUND = """INSERT INTO conversions
SELECT user_id,
    $as_of - to_seconds(CAST(60 + demo_hash(salt, user_id, 11) % (90 * 86400 - 60) AS BIGINT)),
    round(50 + 2950 * pow(demo_draw(salt, user_id, 12), coalesce(amount_skew, $skew)), 2)
FROM (
    SELECT user_id, boost, amount_skew, n, hash($seed, n) AS salt
    FROM users LEFT JOIN demo_boost USING (user_id) CROSS JOIN range(2) AS r(n)
)
WHERE demo_draw(salt, user_id, 10)
    < $rate * coalesce(boost, 1) * CASE WHEN n = 0 THEN 1 ELSE 0.25 END"""

DROP_SPECS = (
    "DROP TABLE IF EXISTS demo_tags",
    "DROP TABLE IF EXISTS demo_usage",
    "DROP TABLE IF EXISTS demo_campaigns",
    "DROP TABLE IF EXISTS demo_boost",
)
