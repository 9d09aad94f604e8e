package io.leakwatch.heap;

/**
 * Turns the JVM's internal class names ({@code java/lang/String}, {@code [B},
 * {@code [[Ljava/lang/Object;}) into the names a developer reads in source ({@code java.lang.String},
 * {@code byte[]}, {@code java.lang.Object[][]}), so both kinds of snapshot name classes alike.
 */
public final class ClassNames {

	private ClassNames() {
	}

	/**
	 * The source-style name for an internal or binary class name; names already in source style are
	 * returned unchanged.
	 * @param name a class name as the JVM, {@code Class.getName()} or an hprof file spells it
	 * @return the name as Java source spells it
	 */
	public static String readable(String name) {
		int dims = 0;
		while (dims < name.length() && name.charAt(dims) == '[') {
			dims++;
		}
		if (dims == 0) {
			// A binary name keeps its '/': hidden classes are named like Foo$$Lambda$14/0x0000000800c0b440.
			return (name.indexOf('.') >= 0) ? name : name.replace('/', '.');
		}
		String element = element(name.substring(dims));
		StringBuilder result = new StringBuilder(element.length() + 2 * dims).append(element);
		for (int i = 0; i < dims; i++) {
			result.append("[]");
		}
		return result.toString();
	}

	private static String element(String descriptor) {
		if (descriptor.length() == 1) {
			switch (descriptor.charAt(0)) {
				case 'Z': return "boolean";
				case 'B': return "byte";
				case 'C': return "char";
				case 'S': return "short";
				case 'I': return "int";
				case 'J': return "long";
				case 'F': return "float";
				case 'D': return "double";
				default: break;
			}
		}
		if (descriptor.startsWith("L") && descriptor.endsWith(";")) {
			return readable(descriptor.substring(1, descriptor.length() - 1));
		}
		return readable(descriptor);
	}

}
