package io.leakwatch.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test program with the same JDK and class path as the test, collecting its
 * output lines. Destroyed when closed, so a failing test leaves no process behind.
 */
public final class ChildJvm implements AutoCloseable {

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private ChildJvm(Process process) {
		this.process = process;
		this.reader = new Thread(this::read, "child-jvm-reader");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	public static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(javaExecutable());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(main.getName());
		command.addAll(List.of(args));
		return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
	}

	/** Whether this JDK accepts the options (for example a collector it was built without). */
	public static boolean supports(List<String> jvmOptions) throws Exception {
		return supports(javaExecutable(), jvmOptions);
	}

	/** Whether that {@code java} executable (another JDK) accepts the options. */
	public static boolean supports(String executable, List<String> jvmOptions) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(executable);
		command.addAll(jvmOptions);
		command.add("-version");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
		return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
	}

	private static String javaExecutable() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}

	public List<String> awaitExit(long timeoutSeconds) throws InterruptedException {
		if (!this.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.lines.add("TIMEOUT after " + timeoutSeconds + "s");
		}
		this.reader.join(5000);
		return List.copyOf(this.lines);
	}

	private void read() {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			this.lines.add("READ FAILED " + ex);
		}
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
	}

}
