import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "./api";

/** What `useResource` answers: the data once loaded, the error's message, and a way to load again. */
export interface Resource<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads `load()` now and whenever `key` changes (the last answer wins; an older one arriving late is dropped);
 * `reload` loads again, keeping the current data on screen meanwhile.
 */
export function useResource<T>(load: () => Promise<T>, key: string): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(async () => {
    const call = ++latest.current;
    setLoading(true);
    try {
      const value = await loader.current();
      if (call !== latest.current) return;
      setData(value);
      setError(undefined);
    } catch (thrown) {
      if (call !== latest.current) return;
      setError(messageOf(thrown));
    } finally {
      if (call === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    // A page left while loading drops the answer.
    return () => {
      latest.current++;
    };
  }, [key, reload]);

  return { data, error, loading, reload };
}
