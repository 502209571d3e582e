// Equality lookups for the MongoDB stand-in without scanning every document.
//
// CongoServer 2.2.0 answers every find, count, aggregate, update, delete and findAndModify by
// reading the whole collection (storage.findAll) and testing each document with mingo, and
// compat.mjs's unique-index check compared each write with every document. The cost of one
// request therefore grew with the data (about 1 ms per thousand links on this machine). Here:
//
//  - EqualityIndexes keeps, per collection and queried field, a map from string value to the
//    documents holding it. A field's map is built the first time a filter asks for it and is kept
//    up to date by the storage's write methods (attachIndexes wraps them).
//  - attachIndexes also gives storage.findAll a hint, per command, through AsyncLocalStorage: the
//    command's filter. findAll then returns only the candidates for its most selective equality on
//    a string or `$in` of strings (or the `_id` document). The handlers still apply the whole
//    filter with mingo, so the results are those of a full scan: candidates are a superset of the
//    matches, because a document whose field is not a string (array, missing, other type) is
//    always a candidate.
//
// Documents come back in the order they took their value; without a sort, MongoDB does not promise
// an order either.
//
//   import { EqualityIndexes, attachIndexes } from './indexes.mjs';
//   const indexes = new EqualityIndexes(storage);
//   attachIndexes(storage, CommandRouter, indexes);
import { AsyncLocalStorage } from 'node:async_hooks';

export function getPath(doc, dotted) {
  let v = doc;
  for (const part of dotted.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[part];
  }
  return v;
}

function idHex(id) {
  return typeof id?.toHexString === 'function' ? id.toHexString() : String(id);
}

// equalityTerms({a: 'x', b: {$eq: 'y'}, c: {$in: ['p', 'q']}, d: {$gt: 1}, $or: [...]})
//   -> [['a', ['x']], ['b', ['y']], ['c', ['p', 'q']]]:
// the top-level conditions that only a document whose field equals one of those strings (or an
// array holding one) can meet. Everything else in the filter is left to mingo.
export function equalityTerms(filter) {
  const terms = [];
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) return terms;
  for (const [field, cond] of Object.entries(filter)) {
    if (field.startsWith('$') || field === '_id') continue;
    if (typeof cond === 'string') {
      terms.push([field, [cond]]);
    } else if (cond !== null && typeof cond === 'object' && !Array.isArray(cond) &&
      Object.keys(cond).length === 1) {
      if (typeof cond.$eq === 'string') terms.push([field, [cond.$eq]]);
      if (Array.isArray(cond.$in) && cond.$in.every((v) => typeof v === 'string')) {
        terms.push([field, [...new Set(cond.$in)]]);
      }
    }
  }
  return terms;
}

// The filter of a routed command, for the first findAll of its collection; null when the command
// reads its collection more than once for different filters (several update or delete
// statements) or is not a plain read/write.
export function commandFilter(parsed) {
  const { commandName: name, command: c, database: db, documentSequences: seq } = parsed;
  const single = (key) => {
    const list = seq?.get(key) ?? c[key];
    return Array.isArray(list) && list.length === 1 ? list[0].q ?? list[0].filter : undefined;
  };
  let coll;
  let filter;
  switch (name) {
    case 'find': coll = c.find; filter = c.filter; break;
    case 'count': coll = c.count; filter = c.query; break;
    case 'findAndModify': coll = c.findAndModify; filter = c.query; break;
    case 'update': coll = c.update; filter = single('updates'); break;
    case 'delete': coll = c.delete; filter = single('deletes'); break;
    case 'aggregate':
      coll = c.aggregate;
      filter = Array.isArray(c.pipeline) ? c.pipeline[0]?.$match : undefined;
      break;
    default: return null;
  }
  if (typeof coll !== 'string' || filter === null || typeof filter !== 'object') return null;
  return { db, coll, filter };
}

class FieldIndex {
  constructor() {
    this.byValue = new Map(); // string value -> Set of idHex, in the order they took it
    this.other = new Set(); // idHex of documents whose field is not a string
    this.keyOf = new Map(); // idHex -> the string it is filed under, or null for `other`
  }

  put(hex, value) {
    const key = typeof value === 'string' ? value : null;
    if (this.keyOf.has(hex)) {
      if (this.keyOf.get(hex) === key) return; // unchanged: keeps its place
      this.remove(hex);
    }
    this.keyOf.set(hex, key);
    if (key === null) {
      this.other.add(hex);
      return;
    }
    let ids = this.byValue.get(key);
    if (!ids) this.byValue.set(key, (ids = new Set()));
    ids.add(hex);
  }

  remove(hex) {
    if (!this.keyOf.has(hex)) return;
    const key = this.keyOf.get(hex);
    this.keyOf.delete(hex);
    if (key === null) {
      this.other.delete(hex);
      return;
    }
    const ids = this.byValue.get(key);
    ids.delete(hex);
    if (ids.size === 0) this.byValue.delete(key);
  }

  // count and ids take the distinct values a term allows.
  count(values) {
    let n = this.other.size;
    for (const v of values) n += this.byValue.get(v)?.size ?? 0;
    return n;
  }

  *ids(values) {
    for (const v of values) yield* this.byValue.get(v) ?? [];
    yield* this.other;
  }
}

export class EqualityIndexes {
  constructor(storage) {
    this.storage = storage;
    this.colls = new Map(); // "db\0coll" -> {docs, fields: Map(field -> FieldIndex)}
  }

  // The collection's state, rebuilt when its document map was replaced (drop, rename, restore).
  state(db, coll, create) {
    const docs = this.storage.databases.get(db)?.get(coll);
    if (!docs) return null;
    const key = `${db}\0${coll}`;
    let st = this.colls.get(key);
    if (!st || st.docs !== docs) {
      if (!create) return null;
      st = { docs, fields: new Map() };
      this.colls.set(key, st);
    }
    return st;
  }

  field(st, name) {
    let fi = st.fields.get(name);
    // A size mismatch means a write bypassed the storage methods: start over rather than miss.
    if (!fi || fi.keyOf.size !== st.docs.size) {
      fi = new FieldIndex();
      for (const [hex, doc] of st.docs) fi.put(hex, getPath(doc, name));
      st.fields.set(name, fi);
    }
    return fi;
  }

  // The documents that could match `filter`, or null when no term narrows it (scan them all).
  candidates(db, coll, filter) {
    const st = this.state(db, coll, true);
    if (!st) return null;
    const id = filter?._id;
    if (id !== undefined && typeof id?.toHexString === 'function') {
      const doc = st.docs.get(id.toHexString());
      return doc ? [doc] : [];
    }
    let best = null;
    for (const [name, values] of equalityTerms(filter)) {
      const fi = this.field(st, name);
      const n = fi.count(values);
      if (!best || n < best.n) best = { fi, values, n };
    }
    if (!best) return null;
    const out = [];
    for (const hex of best.fi.ids(best.values)) {
      const doc = st.docs.get(hex);
      if (doc) out.push(doc);
    }
    return out;
  }

  // The documents whose `name` could equal `value` (for the unique-index check), or null when
  // value is not a string.
  withValue(db, coll, name, value) {
    if (typeof value !== 'string') return null;
    return this.candidates(db, coll, { [name]: value });
  }

  onPut(db, coll, hex, doc) {
    const st = this.state(db, coll, false);
    if (!st) return;
    for (const [name, fi] of st.fields) fi.put(hex, getPath(doc, name));
  }

  onDelete(db, coll, hex) {
    const st = this.state(db, coll, false);
    if (!st) return;
    for (const fi of st.fields.values()) fi.remove(hex);
  }
}

// Wraps the storage's document writes to keep `indexes` current, and CommandRouter.route and
// storage.findAll so that the first read of a command's collection returns only its candidates.
export function attachIndexes(storage, CommandRouter, indexes) {
  const insertOne = storage.insertOne.bind(storage);
  storage.insertOne = async (db, coll, doc) => {
    const stored = await insertOne(db, coll, doc);
    indexes.onPut(db, coll, idHex(stored._id), stored);
    return stored;
  };
  const updateById = storage.updateById.bind(storage);
  storage.updateById = async (db, coll, id, doc) => {
    const ok = await updateById(db, coll, id, doc);
    if (ok) indexes.onPut(db, coll, idHex(id), doc);
    return ok;
  };
  const deleteById = storage.deleteById.bind(storage);
  storage.deleteById = async (db, coll, id) => {
    const ok = await deleteById(db, coll, id);
    if (ok) indexes.onDelete(db, coll, idHex(id));
    return ok;
  };

  const hints = new AsyncLocalStorage();
  const route = CommandRouter.prototype.route;
  CommandRouter.prototype.route = function routeWithHint(parsed) {
    const hint = commandFilter(parsed);
    return hint ? hints.run(hint, () => route.call(this, parsed)) : route.call(this, parsed);
  };
  const findAll = storage.findAll.bind(storage);
  storage.findAll = async (db, coll) => {
    const hint = hints.getStore();
    if (hint && !hint.used && hint.db === db && hint.coll === coll) {
      hint.used = true;
      const docs = indexes.candidates(db, coll, hint.filter);
      if (docs) return docs;
    }
    return findAll(db, coll);
  };
}
