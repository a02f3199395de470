import net from "node:net";

// Below Linux's ephemeral range (32768–60999): the kernel gives those ports to outgoing
// connections, so a port read from bind(0) and released could be taken as the local port
// of some client's connection before the service binds it (EADDRINUSE, seen in CI).
const lowest = 20_000;
const highest = 32_000;

/** Ports free right now (bound, released) outside the range the kernel hands to outgoing connections. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let tries = 0; ports.size < count; tries++) {
    if (tries > 1_000) throw new Error(`found only ${ports.size} of ${count} free ports between ${lowest} and ${highest}`);
    const port = lowest + Math.floor(Math.random() * (highest - lowest));
    if (!ports.has(port) && (await isFree(port))) ports.add(port);
  }
  return [...ports];
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
