"""Print a fingerprint of every published table of a serving file, as JSON.

`python tests/integration/fingerprint.py FILE`: {"schema.table": [rows, md5 of the sorted
rows as text], ..., "_run_id": run that published it}. It needs nothing but `duckdb`, so the
tests run it with the project's DuckDB and with an older client (1.4) to compare.
"""

import json
import sys

import duckdb


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    con.execute("set TimeZone = 'UTC'")
    tables = con.sql(
        "select table_schema, table_name, any_value(run_id) from meta.published_tables "
        "group by all order by all"
    ).fetchall()
    result: dict[str, object] = {"_run_id": tables[0][2]}
    for schema, table, _ in tables:
        rows, digest = con.sql(
            f"select count(*), md5(coalesce(string_agg(t::varchar, '|' order by t::varchar), "
            f"'')) from {schema}.{table} as t"
        ).fetchone()
        result[f"{schema}.{table}"] = [rows, digest]
    return result


if __name__ == "__main__":
    connection = duckdb.connect(sys.argv[1], read_only=True)
    print(json.dumps(fingerprint(connection)))
