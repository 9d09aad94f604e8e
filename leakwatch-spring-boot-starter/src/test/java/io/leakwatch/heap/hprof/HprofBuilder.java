package io.leakwatch.heap.hprof;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes an hprof file byte by byte, so tests can cover what no JVM here writes (4-byte ids, the
 * unsegmented 1.0.1 heap dump, Android's sub-records) and corrupt it at exact places.
 */
final class HprofBuilder {

	private final ByteArrayOutputStream file = new ByteArrayOutputStream();

	private final DataOutputStream out = new DataOutputStream(this.file);

	private final int idSize;

	private ByteArrayOutputStream segment;

	private DataOutputStream sub;

	HprofBuilder(String format, int idSize, long timestamp) {
		this.idSize = idSize;
		run(() -> {
			this.out.write(format.getBytes(StandardCharsets.ISO_8859_1));
			this.out.write(0);
			this.out.writeInt(idSize);
			this.out.writeLong(timestamp);
		});
	}

	HprofBuilder utf8(long id, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return record(0x01, this.idSize + bytes.length, (d) -> {
			id(d, id);
			d.write(bytes);
		});
	}

	HprofBuilder loadClass(int serial, long classId, long nameId) {
		return record(0x02, 8 + 2 * this.idSize, (d) -> {
			d.writeInt(serial);
			id(d, classId);
			d.writeInt(0);
			id(d, nameId);
		});
	}

	/** A record the parser must skip by its length (here a STACK TRACE with no frames). */
	HprofBuilder stackTrace() {
		return record(0x05, 12, (d) -> {
			d.writeInt(1);
			d.writeInt(1);
			d.writeInt(0);
		});
	}

	HprofBuilder startHeapDump() {
		this.segment = new ByteArrayOutputStream();
		this.sub = new DataOutputStream(this.segment);
		return this;
	}

	HprofBuilder endHeapDump(int tag) {
		byte[] body = this.segment.toByteArray();
		this.segment = null;
		return record(tag, body.length, (d) -> d.write(body));
	}

	HprofBuilder heapDumpEnd() {
		return record(0x2C, 0, (d) -> {
		});
	}

	/** A GC root with the given sub-record tag and body size after its object id. */
	HprofBuilder root(int tag, long objectId, int extraBytes) {
		return sub((d) -> {
			d.write(tag);
			id(d, objectId);
			d.write(new byte[extraBytes]);
		});
	}

	/**
	 * A CLASS DUMP with one constant pool entry, one static int, and the given instance field types.
	 */
	HprofBuilder classDump(long classId, long superId, long loaderId, int... fieldTypes) {
		return sub((d) -> {
			d.write(0x20);
			id(d, classId);
			d.writeInt(0);
			id(d, superId);
			id(d, loaderId);
			for (int i = 0; i < 4; i++) {
				id(d, 0);
			}
			d.writeInt(0);
			d.writeShort(1); // constant pool
			d.writeShort(7);
			d.write(ObjectLayout.LONG);
			d.writeLong(42);
			d.writeShort(2); // statics
			id(d, 1000);
			d.write(ObjectLayout.INT);
			d.writeInt(7);
			id(d, 1001);
			d.write(ObjectLayout.OBJECT);
			id(d, 0);
			d.writeShort(fieldTypes.length);
			for (int type : fieldTypes) {
				id(d, 1002);
				d.write(type);
			}
		});
	}

	HprofBuilder instance(long objectId, long classId, int fieldBytes) {
		return sub((d) -> {
			d.write(0x21);
			id(d, objectId);
			d.writeInt(0);
			id(d, classId);
			d.writeInt(fieldBytes);
			d.write(new byte[fieldBytes]);
		});
	}

	HprofBuilder objectArray(long objectId, long arrayClassId, int length) {
		return sub((d) -> {
			d.write(0x22);
			id(d, objectId);
			d.writeInt(0);
			d.writeInt(length);
			id(d, arrayClassId);
			for (int i = 0; i < length; i++) {
				id(d, objectId);
			}
		});
	}

	HprofBuilder primitiveArray(long objectId, int type, int length, int elementSize) {
		return sub((d) -> {
			d.write(0x23);
			id(d, objectId);
			d.writeInt(0);
			d.writeInt(length);
			d.write(type);
			d.write(new byte[length * elementSize]);
		});
	}

	/** Raw bytes inside the current heap dump record. */
	HprofBuilder subBytes(int... bytes) {
		return sub((d) -> {
			for (int b : bytes) {
				d.write(b);
			}
		});
	}

	byte[] bytes() {
		return this.file.toByteArray();
	}

	private HprofBuilder record(int tag, int length, Body body) {
		return run(() -> {
			this.out.write(tag);
			this.out.writeInt(0);
			this.out.writeInt(length);
			body.write(this.out);
		});
	}

	private HprofBuilder sub(Body body) {
		return run(() -> body.write(this.sub));
	}

	private void id(DataOutputStream d, long id) throws IOException {
		if (this.idSize == 4) {
			d.writeInt((int) id);
		}
		else {
			d.writeLong(id);
		}
	}

	private HprofBuilder run(Action action) {
		try {
			action.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	private interface Body {

		void write(DataOutputStream out) throws IOException;

	}

	private interface Action {

		void run() throws IOException;

	}

}
