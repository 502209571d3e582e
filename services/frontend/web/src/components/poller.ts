// Repeats an async load every `intervalMs` after the previous one finished (never two at
// once), until stopped. Used by the home dashboard's live cards.
// Example: const p = poll(load, 3000); ... p.stop();

export interface Poller {
  stop(): void;
  now(): void; // run again right away
}

export function poll(load: () => Promise<void>, intervalMs: number): Poller {
  let stopped = false;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = async (): Promise<void> => {
    if (stopped || running) return;
    if (timer) clearTimeout(timer);
    timer = null;
    running = true;
    try {
      await load();
    } finally {
      running = false;
      if (!stopped) timer = setTimeout(() => void run(), intervalMs);
    }
  };
  void run();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    now() {
      void run();
    },
  };
}
