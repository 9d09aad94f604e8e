package io.leakwatch.monitoring;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a program on the {@code PATH}, so tests of the monitoring files can tell "not installed" (a clear
 * skip or, on CI, a failure) from "failed".
 */
final class Executables {

	private Executables() {
	}

	/**
	 * Looks a program up on the {@code PATH}.
	 * @param name the program's name
	 * @return its path, or {@code null} when no directory of the {@code PATH} has it
	 */
	static Path find(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (directory.isEmpty()) {
				continue;
			}
			Path candidate = Path.of(directory, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

}
