import { describe, expect, it } from "vitest";
import { toolConnection } from "./tool-connection.ts";

describe("how pg_dump and pg_restore are told where to connect", () => {
  it("keeps the password off the command line and hands it over as PGPASSWORD, decoded", () => {
    const { dbname, env } = toolConnection("postgres://admin:s%40cret%2Fx@db.internal:5432/oms?sslmode=require");
    expect(dbname).toBe("postgres://admin@db.internal:5432/oms?sslmode=require");
    expect(dbname).not.toContain("cret");
    expect(env).toEqual({ PGPASSWORD: "s@cret/x" });
  });

  it("takes a password given as a parameter off the command line too", () => {
    const { dbname, env } = toolConnection("postgres://admin@127.0.0.1/oms?password=hunter2&application_name=x");
    expect(dbname).toBe("postgres://admin@127.0.0.1/oms?application_name=x");
    expect(env).toEqual({ PGPASSWORD: "hunter2" });
  });

  it("leaves a URL without a password as it is, and PGPASSWORD to the environment", () => {
    expect(toolConnection("postgres://postgres@127.0.0.1:5432/oms")).toEqual({ dbname: "postgres://postgres@127.0.0.1:5432/oms", env: {} });
  });
});
