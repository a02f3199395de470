// How pg_dump and pg_restore are told where to connect. Pure: no I/O.

/**
 * The URL for `--dbname` without its password, and the password as libpq's PGPASSWORD.
 * A process's arguments are readable by every user of the machine (`ps`, /proc/<pid>/cmdline,
 * audit logs of execve) for as long as a dump runs; its environment is not.
 */
export function toolConnection(databaseUrl: string): { dbname: string; env: Record<string, string> } {
  const url = new URL(databaseUrl);
  // libpq reads a password from the user part or from a `password` parameter.
  const fromQuery = url.searchParams.get("password");
  const password = url.password ? decodeURIComponent(url.password) : fromQuery;
  url.password = "";
  url.searchParams.delete("password");
  return { dbname: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}
