// Time parsing and human formatting for the dashboard and the trace view. Timestamps are
// kept as microseconds since the epoch because span offsets within a trace are often
// smaller than a millisecond, which Date would round away.
// Example: formatDurationUs(1534) === '1.53 ms'; parseRfc3339Micros('1970-01-01T00:00:00.000001Z') === 1

const kRfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

// Microseconds since the Unix epoch, or null when `s` is not an RFC 3339 timestamp.
export function parseRfc3339Micros(s: string): number | null {
  const m = kRfc3339.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, hh, mm, ss, frac, z, sign, oh, om] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mm), Number(ss));
  if (Number.isNaN(ms)) return null;
  const micros = frac ? Number((frac + '000000').slice(0, 6)) : 0;
  let offsetMin = 0;
  if (!z && sign) offsetMin = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return (ms - offsetMin * 60_000) * 1000 + micros;
}

function trim(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export function formatDurationUs(us: number): string {
  if (!Number.isFinite(us) || us < 0) return '–';
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) {
    const ms = us / 1000;
    return `${trim(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`;
  }
  if (us < 60_000_000) {
    const s = us / 1_000_000;
    return `${trim(s, s < 10 ? 2 : 1)} s`;
  }
  const totalS = Math.round(us / 1_000_000);
  return `${Math.floor(totalS / 60)}m ${String(totalS % 60).padStart(2, '0')}s`;
}

// "45s", "12m 05s", "3h 20m", "2d 4h": two units at most, enough to tell instances apart.
export function formatUptime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

// "just now", "12s ago", "5m ago", "3h ago", "2d ago".
export function formatAgo(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${Math.floor(seconds)}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

// Local wall-clock time with milliseconds, prefixed by the date when not today.
export function formatTimestamp(micros: number, now: Date = new Date()): string {
  const d = new Date(Math.floor(micros / 1000));
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}
