package io.leakwatch.heap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenDiffsTests {

	private final MutableClock clock = new MutableClock();

	private final List<String> discarded = new ArrayList<>();

	private final OpenDiffs<String> diffs = new OpenDiffs<>("test diff", 2, Duration.ofMinutes(5),
			(id, value) -> this.discarded.add(value), this.clock);

	@Test
	void refusesMoreThanMaxOpenUntilOneEnds() {
		OpenDiffs.Entry<String> first = this.diffs.open(this.diffs.reserve(), "a");
		this.diffs.open(this.diffs.reserve(), "b");
		assertThatThrownBy(this.diffs::reserve).isInstanceOf(HeapDiffException.class)
			.hasMessageContaining("Too many open test diffs: 2 of 2")
			.satisfies((ex) -> assertThat(((HeapDiffException) ex).reason().status()).isEqualTo(429));
		this.diffs.finish(this.diffs.claim(first.id()));
		assertThat(this.diffs.reserve().id()).hasSize(12).matches("[a-z0-9]+");
	}

	@Test
	void anEntryIsClaimedOnce() {
		OpenDiffs.Entry<String> entry = this.diffs.open(this.diffs.reserve(), "a");
		assertThat(this.diffs.claim(entry.id()).value()).isEqualTo("a");
		assertThatThrownBy(() -> this.diffs.claim(entry.id())).isInstanceOf(HeapDiffException.class)
			.satisfies((ex) -> assertThat(((HeapDiffException) ex).reason().status()).isEqualTo(404));
	}

	@Test
	void aRestoredEntryIsOpenAgain() {
		OpenDiffs.Entry<String> entry = this.diffs.open(this.diffs.reserve(), "a");
		this.diffs.restore(this.diffs.claim(entry.id()));
		assertThat(this.diffs.list()).extracting(OpenDiffs.Entry::id).containsExactly(entry.id());
	}

	@Test
	void expiredEntriesAreDiscardedAndFreeTheirSlot() {
		this.diffs.open(this.diffs.reserve(), "a");
		this.clock.advance(Duration.ofMinutes(3));
		OpenDiffs.Entry<String> second = this.diffs.open(this.diffs.reserve(), "b");
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.diffs.list()).extracting(OpenDiffs.Entry::value).containsExactly("b");
		assertThat(this.discarded).containsExactly("a");
		this.diffs.reserve();
		assertThatThrownBy(() -> this.diffs.claim("nope")).hasMessageContaining("No open test diff with id 'nope'");
		assertThat(second.expiresAt()).isEqualTo(second.startedAt().plus(Duration.ofMinutes(5)));
	}

	@Test
	void unknownIdsAreNotFound() {
		assertThatThrownBy(() -> this.diffs.get(null)).isInstanceOf(HeapDiffException.class);
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-11-24T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
