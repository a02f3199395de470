export interface WakeableSleep {
  /** Resolves after `ms`, or earlier when wake() is called. */
  sleep(ms: number): Promise<void>;
  wake(): void;
}

/** A sleep that a notification can cut short; a wake with nobody sleeping is remembered once. */
export function wakeableSleep(): WakeableSleep {
  let wakeUp: (() => void) | undefined;
  let pending = false;
  return {
    sleep(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeUp = undefined;
          resolve();
        }
        wakeUp = done;
      });
    },
    wake() {
      if (wakeUp) wakeUp();
      else pending = true;
    },
  };
}
