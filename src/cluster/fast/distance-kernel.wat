;; Squared distances ‖x − c‖² in WebAssembly SIMD (f64x2), over X in the layout of
;; ./lloyd-kernel.wat's passWide (./wasm-pass.ts sets it up): row pairs, each as dp/2 steps of
;; [row 2p: 2 features][row 2p + 1: the same 2]; for dp = 2 that is simply rows of (x, y).
;; The source of the bytes in ./distance-kernel.ts (`npm run wasm` re-embeds them).
;;
;; Every distance but `trialsWide`'s (the expanded form, below) is computed as
;; src/cluster/sq-dist.ts's `sqDist` computes it: lane 0 sums the
;; squares of the even features in order, lane 1 those of the odd ones, then lane 0 + lane 1
;; (a zero padding feature adds +0, which changes nothing). So each distance, and each
;; min(closest, distance), is bit for bit what the readable k-means++ of ../init.ts computes;
;; only the order in which they are summed differs (two lanes, even and odd rows, per chunk).
;;
;; `start` is even. D (closest squared distances, f64) holds the rows and one more: the padding
;; row of an odd n, whose entry is 0 and so stays 0 and adds nothing.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; D[i] = min(D[i], ‖x_i − P‖²) for rows [start, end) rounded up to a pair; returns the sum of
  ;; the new D over them (lane 0: even rows, lane 1: odd rows, then added). P: dp f64.
  (func (export "closer")
    (param $X i32) (param $dp i32) (param $start i32) (param $end i32) (param $P i32) (param $D i32) (result f64)
    (local $i i32) (local $row i32) (local $rowEnd i32) (local $p i32) (local $q i32)
    (local $a0 v128) (local $a1 v128) (local $t v128) (local $c v128) (local $sum v128)
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $row (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $i) (i32.const 1)) (i32.shl (local.get $dp) (i32.const 4)))))
        (local.set $rowEnd (i32.add (local.get $row) (i32.shl (local.get $dp) (i32.const 4))))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $p (local.get $row))
        (local.set $q (local.get $P))
        (loop $features
          (local.set $c (v128.load (local.get $q)))
          (local.set $t (f64x2.sub (v128.load (local.get $p)) (local.get $c)))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $t) (local.get $t))))
          (local.set $t (f64x2.sub (v128.load offset=16 (local.get $p)) (local.get $c)))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $t) (local.get $t))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $features (i32.lt_u (local.get $p) (local.get $rowEnd))))
        ;; [distance of row i, of row i + 1], each as lane 0 + lane 1 of its sums
        (local.set $t (f64x2.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
        (local.set $q (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 3))))
        ;; pmin(a, b) = b < a ? b : a, i.e. the new distance only when strictly smaller (as ../init.ts)
        (local.set $t (f64x2.pmin (v128.load (local.get $q)) (local.get $t)))
        (v128.store (local.get $q) (local.get $t))
        (local.set $sum (f64x2.add (local.get $sum) (local.get $t)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows)))
    (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))

  ;; For each of t candidate centres (C: t × dp f64), the sum over rows [start, end) (rounded up
  ;; to a pair) of min(D[i], ‖x_i − candidate‖²), without changing D: k-means++'s local trials,
  ;; all scored in one sweep over X. out: t × [even rows' sum, odd rows' sum] f64 (zeroed here).
  ;; Unless S is 0, each trial's min(D[i], ‖x_i − candidate‖²) is also kept, in rows of D's
  ;; shape `gap` bytes apart from S on: the chosen trial's row is then the next D.
  (func (export "trials")
    (param $X i32) (param $dp i32) (param $start i32) (param $end i32) (param $C i32) (param $t i32) (param $D i32) (param $out i32)
    (param $S i32) (param $gap i32)
    (local $i i32) (local $row i32) (local $rowEnd i32) (local $p i32) (local $q i32)
    (local $cand i32) (local $o i32) (local $oEnd i32) (local $stride i32) (local $s i32)
    (local $a0 v128) (local $a1 v128) (local $v v128) (local $c v128) (local $dv v128)
    (local.set $stride (i32.shl (local.get $dp) (i32.const 3)))
    (local.set $oEnd (i32.add (local.get $out) (i32.shl (local.get $t) (i32.const 4))))
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $t) (i32.const 4)))
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $row (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $i) (i32.const 1)) (i32.shl (local.get $dp) (i32.const 4)))))
        (local.set $rowEnd (i32.add (local.get $row) (i32.shl (local.get $dp) (i32.const 4))))
        (local.set $dv (v128.load (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $cand (local.get $C))
        (local.set $o (local.get $out))
        (local.set $s (i32.add (local.get $S) (i32.shl (local.get $i) (i32.const 3))))
        (loop $trials
          (local.set $a0 (v128.const i64x2 0 0))
          (local.set $a1 (v128.const i64x2 0 0))
          (local.set $p (local.get $row))
          (local.set $q (local.get $cand))
          (loop $features
            (local.set $c (v128.load (local.get $q)))
            (local.set $v (f64x2.sub (v128.load (local.get $p)) (local.get $c)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (local.get $v))))
            (local.set $v (f64x2.sub (v128.load offset=16 (local.get $p)) (local.get $c)))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (local.get $v))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br_if $features (i32.lt_u (local.get $p) (local.get $rowEnd))))
          (local.set $v (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
          (local.set $v (f64x2.pmin (local.get $dv) (local.get $v)))
          (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $v)))
          (if (local.get $S) (then (v128.store (local.get $s) (local.get $v))))
          (local.set $s (i32.add (local.get $s) (local.get $gap)))
          (local.set $cand (i32.add (local.get $cand) (local.get $stride)))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br_if $trials (i32.lt_u (local.get $o) (local.get $oEnd))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows))))

  ;; `trials` in the expanded form of ./lloyd-kernel.wat's passWide, for wide data (where the
  ;; direct form's subtraction per feature, on the same add pipes as the sums, made the sweep
  ;; twice the work): ‖x − c‖² = q + bias_c − 2 x·c′, with c′ = c − r, bias_c = ‖c′‖² + 2 r·c′
  ;; and q = ‖x − r‖² (r the mean of the data; Q holds q per row, from lloyd-kernel's `norms`).
  ;; This is how scikit-learn's k-means++ computes them too, and as there a distance below zero
  ;; (rounding, for a row at a candidate) counts as zero. Tiles of 2 rows × 4 candidates
  ;; (`tiles`, below, lays them out): each loaded pair of values feeds four products.
  ;; out: the t trials rounded up to 4 × [even rows' sum, odd rows' sum] f64 (zeroed here); each
  ;; trial's min(D[i], distance) is kept in a row of D's shape from S on, `gap` bytes apart,
  ;; except row `skip` (where D may be: it is read, then written over only by D's own kernel).
  ;; Unless L is 0, the nearest centres are tracked (a byte per row): where D[i] is below P[i]
  ;; (the last step's D, which its chosen trial lowered into D), row i takes `label`.
  (func (export "trialsWide")
    (param $X i32) (param $dp i32) (param $start i32) (param $end i32) (param $T i32) (param $t i32)
    (param $D i32) (param $out i32) (param $S i32) (param $gap i32) (param $skip i32) (param $Q i32)
    (param $P i32) (param $L i32) (param $label i32)
    (local $i i32) (local $pa i32) (local $paEnd i32) (local $p i32) (local $c i32) (local $tile i32)
    (local $tp i32) (local $tEnd i32) (local $o i32) (local $s i32) (local $tt i32) (local $gap2 i32) (local $m i32)
    (local $x0 v128) (local $x1 v128) (local $cv v128) (local $dv v128) (local $qv v128) (local $v v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $tile (i32.add (i32.const 32) (i32.shl (local.get $dp) (i32.const 5))))
    (local.set $tEnd (i32.add (local.get $T) (i32.mul (i32.shr_u (i32.add (local.get $t) (i32.const 3)) (i32.const 2)) (local.get $tile))))
    (local.set $gap2 (i32.shl (local.get $gap) (i32.const 1)))
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (i32.and (i32.add (local.get $t) (i32.const 3)) (i32.const -4)) (i32.const 4)))
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $pa (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $i) (i32.const 1)) (i32.shl (local.get $dp) (i32.const 4)))))
        (local.set $paEnd (i32.add (local.get $pa) (i32.shl (local.get $dp) (i32.const 4))))
        (local.set $dv (v128.load (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $qv (v128.load (i32.add (local.get $Q) (i32.shl (local.get $i) (i32.const 3)))))
        (if (local.get $L)
          (then
            ;; bit 0: row i's D below its P, bit 1: row i + 1's; the bytes of those rows take the label
            (local.set $m (i64x2.bitmask (f64x2.lt (local.get $dv) (v128.load (i32.add (local.get $P) (i32.shl (local.get $i) (i32.const 3)))))))
            (local.set $m (i32.or (i32.mul (i32.and (local.get $m) (i32.const 1)) (i32.const 0xff)) (i32.mul (i32.and (local.get $m) (i32.const 2)) (i32.const 0x7f80))))
            (local.set $c (i32.add (local.get $L) (local.get $i)))
            (i32.store16 (local.get $c) (i32.or (i32.and (i32.load16_u (local.get $c)) (i32.xor (local.get $m) (i32.const -1)))
              (i32.and (i32.mul (local.get $label) (i32.const 0x0101)) (local.get $m))))))
        (local.set $tp (local.get $T))
        (local.set $o (local.get $out))
        (local.set $s (i32.add (local.get $S) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $s (i32.add (local.get $s) (select (local.get $gap) (i32.const 0) (i32.eqz (local.get $skip)))))
        (local.set $tt (i32.const 0))
        (loop $tiles
          (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))
          (local.set $s02 (v128.const i64x2 0 0)) (local.set $s03 (v128.const i64x2 0 0))
          (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
          (local.set $s12 (v128.const i64x2 0 0)) (local.set $s13 (v128.const i64x2 0 0))
          (local.set $p (local.get $pa))
          (local.set $c (i32.add (local.get $tp) (i32.const 32)))
          (loop $features
            (local.set $x0 (v128.load (local.get $p)))
            (local.set $x1 (v128.load offset=16 (local.get $p)))
            (local.set $cv (v128.load (local.get $c)))
            (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $cv))))
            (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $cv))))
            (local.set $cv (v128.load offset=16 (local.get $c)))
            (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $cv))))
            (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $cv))))
            (local.set $cv (v128.load offset=32 (local.get $c)))
            (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $x0) (local.get $cv))))
            (local.set $s12 (f64x2.add (local.get $s12) (f64x2.mul (local.get $x1) (local.get $cv))))
            (local.set $cv (v128.load offset=48 (local.get $c)))
            (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $x0) (local.get $cv))))
            (local.set $s13 (f64x2.add (local.get $s13) (f64x2.mul (local.get $x1) (local.get $cv))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $c (i32.add (local.get $c) (i32.const 64)))
            (br_if $features (i32.lt_u (local.get $p) (local.get $paEnd))))
          ;; Each candidate in turn: [x_a·c′, x_b·c′] from the two rows' halves, the distance
          ;; (q + bias) − (dot + dot), at least 0, lowered to D; into out and the kept row (the
          ;; next one on, or the one after if the next is row `skip`).
          (local.set $v (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s00) (local.get $s10))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s00) (local.get $s10))))
          (local.set $v (f64x2.pmin (local.get $dv) (f64x2.pmax (f64x2.sub (f64x2.add (local.get $qv) (v128.load64_splat (local.get $tp)))
            (f64x2.add (local.get $v) (local.get $v))) (v128.const i64x2 0 0))))
          (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $v)))
          (if (i32.lt_u (local.get $tt) (local.get $t)) (then (v128.store (local.get $s) (local.get $v))))
          (local.set $tt (i32.add (local.get $tt) (i32.const 1)))
          (local.set $s (i32.add (local.get $s) (select (local.get $gap2) (local.get $gap) (i32.eq (local.get $tt) (local.get $skip)))))
          (local.set $v (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s01) (local.get $s11))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s01) (local.get $s11))))
          (local.set $v (f64x2.pmin (local.get $dv) (f64x2.pmax (f64x2.sub (f64x2.add (local.get $qv) (v128.load64_splat offset=8 (local.get $tp)))
            (f64x2.add (local.get $v) (local.get $v))) (v128.const i64x2 0 0))))
          (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (local.get $v)))
          (if (i32.lt_u (local.get $tt) (local.get $t)) (then (v128.store (local.get $s) (local.get $v))))
          (local.set $tt (i32.add (local.get $tt) (i32.const 1)))
          (local.set $s (i32.add (local.get $s) (select (local.get $gap2) (local.get $gap) (i32.eq (local.get $tt) (local.get $skip)))))
          (local.set $v (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s02) (local.get $s12))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s02) (local.get $s12))))
          (local.set $v (f64x2.pmin (local.get $dv) (f64x2.pmax (f64x2.sub (f64x2.add (local.get $qv) (v128.load64_splat offset=16 (local.get $tp)))
            (f64x2.add (local.get $v) (local.get $v))) (v128.const i64x2 0 0))))
          (v128.store offset=32 (local.get $o) (f64x2.add (v128.load offset=32 (local.get $o)) (local.get $v)))
          (if (i32.lt_u (local.get $tt) (local.get $t)) (then (v128.store (local.get $s) (local.get $v))))
          (local.set $tt (i32.add (local.get $tt) (i32.const 1)))
          (local.set $s (i32.add (local.get $s) (select (local.get $gap2) (local.get $gap) (i32.eq (local.get $tt) (local.get $skip)))))
          (local.set $v (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s03) (local.get $s13))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s03) (local.get $s13))))
          (local.set $v (f64x2.pmin (local.get $dv) (f64x2.pmax (f64x2.sub (f64x2.add (local.get $qv) (v128.load64_splat offset=24 (local.get $tp)))
            (f64x2.add (local.get $v) (local.get $v))) (v128.const i64x2 0 0))))
          (v128.store offset=48 (local.get $o) (f64x2.add (v128.load offset=48 (local.get $o)) (local.get $v)))
          (if (i32.lt_u (local.get $tt) (local.get $t)) (then (v128.store (local.get $s) (local.get $v))))
          (local.set $tt (i32.add (local.get $tt) (i32.const 1)))
          (local.set $s (i32.add (local.get $s) (select (local.get $gap2) (local.get $gap) (i32.eq (local.get $tt) (local.get $skip)))))
          (local.set $o (i32.add (local.get $o) (i32.const 64)))
          (local.set $tp (i32.add (local.get $tp) (local.get $tile)))
          (br_if $tiles (i32.lt_u (local.get $tp) (local.get $tEnd))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows))))

  ;; L[i] = label where D[i] < P[i], for rows [start, end) rounded up to a pair (a byte each; D
  ;; and P f64, with the padding row of an odd n): the last step's labels, which `trialsWide`
  ;; would have set at the next. Without branches, as there (which rows fell is unpredictable).
  (func (export "relabel") (param $D i32) (param $P i32) (param $L i32) (param $start i32) (param $end i32) (param $label i32)
    (local $i i32) (local $m i32) (local $c i32)
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $m (i64x2.bitmask (f64x2.lt (v128.load (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 3))))
          (v128.load (i32.add (local.get $P) (i32.shl (local.get $i) (i32.const 3)))))))
        (local.set $m (i32.or (i32.mul (i32.and (local.get $m) (i32.const 1)) (i32.const 0xff)) (i32.mul (i32.and (local.get $m) (i32.const 2)) (i32.const 0x7f80))))
        (local.set $c (i32.add (local.get $L) (local.get $i)))
        (i32.store16 (local.get $c) (i32.or (i32.and (i32.load16_u (local.get $c)) (i32.xor (local.get $m) (i32.const -1)))
          (i32.and (i32.mul (local.get $label) (i32.const 0x0101)) (local.get $m))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows))))

  ;; The t candidates (C: t × dp f64, zero-padded rows) into the tiles `trialsWide` reads at T:
  ;; ceil(t / 4) tiles, each [bias of its 4 candidates] then dp/2 steps of [candidate 0..3: 2
  ;; features], holding c′ = c − r (r at R, dp f64); a padding candidate's bias is +∞, so its
  ;; distance never lowers D.
  (func (export "tiles") (param $C i32) (param $t i32) (param $dp i32) (param $R i32) (param $T i32)
    (local $c i32) (local $j i32) (local $o i32) (local $tile i32) (local $r f64) (local $v f64) (local $bias f64)
    (local.set $tile (i32.add (i32.const 32) (i32.shl (local.get $dp) (i32.const 5))))
    (memory.fill (local.get $T) (i32.const 0) (i32.mul (i32.shr_u (i32.add (local.get $t) (i32.const 3)) (i32.const 2)) (local.get $tile)))
    (block $real
      (loop $candidate
        (br_if $real (i32.ge_u (local.get $c) (local.get $t)))
        (local.set $o (i32.add (local.get $T) (i32.mul (i32.shr_u (local.get $c) (i32.const 2)) (local.get $tile))))
        (local.set $bias (f64.const 0))
        (local.set $j (i32.const 0))
        (loop $feature
          (local.set $r (f64.load (i32.add (local.get $R) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $v (f64.sub (f64.load (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $dp)) (local.get $j)) (i32.const 3))))
            (local.get $r)))
          (local.set $bias (f64.add (local.get $bias) (f64.add (f64.mul (local.get $v) (local.get $v)) (f64.mul (f64.add (local.get $r) (local.get $r)) (local.get $v)))))
          ;; f64 4 + (j >> 1)·8 + (c & 3)·2 + (j & 1) of the tile
          (f64.store offset=32 (i32.add (local.get $o) (i32.shl (i32.add (i32.add (i32.shl (i32.shr_u (local.get $j) (i32.const 1)) (i32.const 3))
            (i32.shl (i32.and (local.get $c) (i32.const 3)) (i32.const 1))) (i32.and (local.get $j) (i32.const 1))) (i32.const 3)))
            (local.get $v))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $feature (i32.lt_u (local.get $j) (local.get $dp))))
        (f64.store (i32.add (local.get $o) (i32.shl (i32.and (local.get $c) (i32.const 3)) (i32.const 3))) (local.get $bias))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $candidate)))
    (block $padded
      (loop $pad
        (br_if $padded (i32.eqz (i32.and (local.get $c) (i32.const 3))))
        (f64.store (i32.add (i32.add (local.get $T) (i32.mul (i32.shr_u (local.get $c) (i32.const 2)) (local.get $tile)))
          (i32.shl (i32.and (local.get $c) (i32.const 3)) (i32.const 3))) (f64.const inf))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $pad))))

  ;; The sum over rows [start, end) of ‖x_i − c_{L[i]}‖² (C: k × dp f64, L: i32 labels), the
  ;; inertia of given labels; lane 0 sums the even rows, lane 1 the odd ones. At an odd end the
  ;; partner of the last row is that row again, and is not counted.
  (func (export "labelled")
    (param $X i32) (param $dp i32) (param $L i32) (param $start i32) (param $end i32) (param $C i32) (result f64)
    (local $i i32) (local $row i32) (local $rowEnd i32) (local $p i32) (local $q0 i32) (local $q1 i32)
    (local $two i32) (local $lab i32) (local $stride i32)
    (local $a0 v128) (local $a1 v128) (local $v v128) (local $s0 f64) (local $s1 f64)
    (local.set $stride (i32.shl (local.get $dp) (i32.const 3)))
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $two (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
        (local.set $row (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $i) (i32.const 1)) (i32.shl (local.get $dp) (i32.const 4)))))
        (local.set $rowEnd (i32.add (local.get $row) (i32.shl (local.get $dp) (i32.const 4))))
        (local.set $lab (i32.add (local.get $L) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $q0 (i32.add (local.get $C) (i32.mul (i32.load (local.get $lab)) (local.get $stride))))
        (local.set $q1 (i32.add (local.get $C) (i32.mul
          (i32.load (i32.add (local.get $lab) (i32.shl (local.get $two) (i32.const 2)))) (local.get $stride))))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $p (local.get $row))
        (loop $features
          (local.set $v (f64x2.sub (v128.load (local.get $p)) (v128.load (local.get $q0))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (local.get $v))))
          (local.set $v (f64x2.sub (v128.load offset=16 (local.get $p)) (v128.load (local.get $q1))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (local.get $v))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $q0 (i32.add (local.get $q0) (i32.const 16)))
          (local.set $q1 (i32.add (local.get $q1) (i32.const 16)))
          (br_if $features (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (local.set $s0 (f64.add (local.get $s0)
          (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0)))))
        (if (local.get $two)
          (then
            (local.set $s1 (f64.add (local.get $s1)
              (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows)))
    (f64.add (local.get $s0) (local.get $s1)))
)
