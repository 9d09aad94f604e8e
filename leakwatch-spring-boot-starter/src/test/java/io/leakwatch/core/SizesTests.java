package io.leakwatch.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SizesTests {

	@Test
	void bytesInMemwatchUnits() {
		assertThat(Sizes.bytes(64)).isEqualTo("64 bytes");
		assertThat(Sizes.bytes(3072)).isEqualTo("3 kb");
		assertThat(Sizes.bytes(1771.52)).isEqualTo("1.73 kb");
		assertThat(Sizes.bytes(-5001080)).isEqualTo("-4.77 mb");
		assertThat(Sizes.bytes(110.24 * 1024 * 1024)).isEqualTo("110.24 mb");
		assertThat(Sizes.bytes(6L * 1024 * 1024 * 1024 * 1024 * 1024 * 1024)).isEqualTo("6144 pb");
	}

	@Test
	void durations() {
		assertThat(Sizes.duration(Duration.ofMillis(4000))).isEqualTo("4s");
		assertThat(Sizes.duration(Duration.ofMillis(4200))).isEqualTo("4.2s");
		assertThat(Sizes.duration(Duration.ofMillis(491))).isEqualTo("0.5s");
		assertThat(Sizes.duration(Duration.ofMillis(12_400))).isEqualTo("12s");
		assertThat(Sizes.duration(Duration.ofSeconds(125))).isEqualTo("2m 5s");
		assertThat(Sizes.duration(Duration.ofSeconds(3603))).isEqualTo("1h 0m 3s");
	}

}
