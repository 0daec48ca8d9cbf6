import { getTableColumns, type Table } from "drizzle-orm";

/**
 * A row of `table` from its `to_jsonb` (column names as keys), mapped as a select maps it: for
 * a statement that returns rows it wrote or read in a CTE, as JSON, beside other results.
 */
export function rowFromJson<T>(table: Table, json: Record<string, unknown> | null): T | null {
  if (json === null) return null;
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    // A jsonb column is already a value inside the row's JSON.
    const raw = column.columnType === "PgJsonb" || column.columnType === "PgJson";
    row[key] =
      value === null || value === undefined ? null : raw ? value : column.mapFromDriverValue(value);
  }
  return row as T;
}
