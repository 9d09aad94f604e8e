package io.leakwatch.profile;

import java.util.Objects;

/**
 * One frame of an allocation stack, printed as a Java stack trace prints it so an IDE turns it into a
 * link.
 *
 * @param className the frame's class as Java source spells it
 * @param method the method's name
 * @param file the source file: JFR records none, so it is derived from the class name (the top-level
 * class's simple name plus {@code .java}), which is right for Java sources that follow the convention
 * @param line the line number, or {@code -1} when JFR has none (native or hidden frames)
 */
public record Frame(String className, String method, String file, int line) {

	/** The site of samples taken without a stack trace (an always-on profiler between rises). */
	public static final Frame NO_STACK_TRACE = new Frame("(no stack trace)", "?", "?", -1);

	public Frame {
		Objects.requireNonNull(className, "className");
		Objects.requireNonNull(method, "method");
	}

	/** A frame whose file is derived from its class. */
	static Frame of(String className, String method, int line) {
		return new Frame(className, method, fileOf(className), line);
	}

	/** {@code Outer$Inner} and {@code Outer$$Lambda/0x...} were compiled from {@code Outer.java}. */
	static String fileOf(String className) {
		String simple = className.substring(className.lastIndexOf('.') + 1);
		int nested = simple.indexOf('$');
		if (nested > 0) {
			simple = simple.substring(0, nested);
		}
		return simple + ".java";
	}

	/** The class name without its package. */
	public String simpleClassName() {
		return simpleName(this.className);
	}

	/** {@code LeakyService}; a lambda's hidden class {@code LeakyService$$Lambda$65/0x...} reads {@code LeakyService$$Lambda}. */
	static String simpleName(String className) {
		int hidden = className.indexOf('/');
		String name = (hidden > 0) ? className.substring(0, hidden) : className;
		name = name.substring(name.lastIndexOf('.') + 1);
		int lambda = name.indexOf("$$Lambda");
		return (lambda >= 0) ? name.substring(0, lambda + "$$Lambda".length()) : name;
	}

	/** {@code LeakyService.replaceThing(LeakyService.java:42)}. */
	@Override
	public String toString() {
		if (equals(NO_STACK_TRACE)) {
			return "(no stack trace)";
		}
		return simpleClassName() + "." + this.method + "(" + this.file + ((this.line >= 0) ? ":" + this.line : "")
				+ ")";
	}

}
