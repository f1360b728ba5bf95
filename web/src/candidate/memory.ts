// What the candidate page remembers across a reload of the same tab (sessionStorage,
// per room): that consent was given and the microphone checked, and when the session
// started. A new tab or a closed browser starts from the consent again.
export interface Remembered {
  consented: boolean;
  micChecked: boolean;
  startedAt: number | null;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const key = (room: string) => `voicehire.join.${room}`;

export function recall(room: string, storage: StorageLike = sessionStorage): Remembered {
  try {
    const raw: unknown = JSON.parse(storage.getItem(key(room)) ?? "{}");
    const v = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
    return {
      consented: v.consented === true,
      micChecked: v.micChecked === true,
      startedAt: typeof v.startedAt === "number" && Number.isFinite(v.startedAt) ? v.startedAt : null,
    };
  } catch {
    return { consented: false, micChecked: false, startedAt: null };
  }
}

export function remember(room: string, patch: Partial<Remembered>, storage: StorageLike = sessionStorage): Remembered {
  const next = { ...recall(room, storage), ...patch };
  try {
    storage.setItem(key(room), JSON.stringify(next));
  } catch {
    // storage full or disabled: the page still works, it just asks again after a reload
  }
  return next;
}
