// The outbox: every saved handout, in IndexedDB, until the server confirms it.
// Record: {client_id, body, saved_at, state: "pending" | "conflict", error, attempts}.
const DB_NAME = "outreach-handouts";
const STORE = "outbox";
let opening = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open() {
  if (!opening) {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, {keyPath: "client_id"});
      store.createIndex("saved_at", "saved_at");
    };
    opening = promised(request);
  }
  return opening;
}

async function transact(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let result;
    Promise.resolve(work(tx.objectStore(STORE))).then((value) => { result = value; });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("IndexedDB transaction aborted"));
  });
}

/** Store a new handout (or, with `endpoint`, another record such as a survey response);
 * resolves once it is durably written. */
export function add(body, endpoint = undefined) {
  const record = {client_id: body.client_id, body, saved_at: Date.now(), state: "pending",
                  error: null, attempts: 0};
  if (endpoint) record.endpoint = endpoint;
  return transact("readwrite", (store) => { store.add(record); return record; });
}

/** Every record, oldest first. */
export function all() {
  return transact("readonly", (store) => promised(store.index("saved_at").getAll()));
}

export function get(clientId) {
  return transact("readonly", (store) => promised(store.get(clientId)));
}

export function put(record) {
  return transact("readwrite", (store) => { store.put(record); });
}

/** Remove a record: the server confirmed it (its participant code leaves the device with it). */
export function remove(clientId) {
  return transact("readwrite", (store) => { store.delete(clientId); });
}
